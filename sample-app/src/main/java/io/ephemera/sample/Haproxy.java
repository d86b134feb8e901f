package io.ephemera.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real HAProxy in front of the backend, started from Debian's {@code haproxy} package, in one of
 * the two ways a proxy talks to a backend:
 * <ul>
 *   <li>{@link Mode#SERVER_CLOSE}: {@code option http-server-close}. The proxy keeps its clients'
 *       connections alive but opens a new connection to the backend for every request, and the
 *       backend pays a TCP handshake and a TIME_WAIT (or a reset) per request;</li>
 *   <li>{@link Mode#KEEP_ALIVE}: {@code option http-keep-alive} with {@code http-reuse always}:
 *       a handful of backend connections carry every request.</li>
 * </ul>
 * The proxy connects to the backend from {@code 127.0.0.2}, as a proxy on another host would from
 * its own address, so the backend tells it apart from clients that call it directly.
 */
final class Haproxy implements AutoCloseable {

    /** How the proxy talks to the backend. */
    enum Mode {
        SERVER_CLOSE("server-close", "option http-server-close"),
        KEEP_ALIVE("keep-alive", "option http-keep-alive\n    http-reuse always");

        final String label;
        final String options;

        Mode(String label, String options) {
            this.label = label;
            this.options = options;
        }

        static Mode of(String label) {
            for (Mode m : values()) {
                if (m.label.equals(label)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("HAProxy mode " + label + ": expected server-close or keep-alive");
        }
    }

    /** The address the proxy connects to the backend from. */
    static final String SOURCE = "127.0.0.2";

    private final Path executable;
    private final Mode mode;
    private final Process process;
    private final Path dir;
    private final int port;

    private Haproxy(Path executable, Mode mode, Process process, Path dir, int port) {
        this.executable = executable;
        this.mode = mode;
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** The haproxy executable, or null when it is not installed. */
    static Path find() {
        for (String d : List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin")) {
            Path p = Path.of(d, "haproxy");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Its version line, e.g. {@code HAProxy version 2.6.12-1+deb12u4 2026/10/17}. */
    String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(executable.toString(), "-v").redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
        p.waitFor(10, TimeUnit.SECONDS);
        return first.replace(" - https://haproxy.org/", "");
    }

    /** Starts HAProxy in front of {@code 127.0.0.1:backendPort} and waits until it accepts. */
    static Haproxy start(Path executable, Mode mode, int backendPort) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ephemera-haproxy");
        int port = freePort();
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, String.join("\n",
                "global",
                "    stats socket " + dir.resolve("stats.sock") + " mode 600 level user",
                "defaults",
                "    mode http",
                "    timeout connect 2s",
                "    timeout client 30s",
                "    timeout server 30s",
                "    timeout http-keep-alive 30s",
                "frontend app",
                "    bind 127.0.0.1:" + port,
                "    default_backend backend",
                "backend backend",
                "    " + mode.options,
                "    server app 127.0.0.1:" + backendPort + " source " + SOURCE,
                ""));
        // -db: stay in the foreground, so the process ends with this object and never outlives the JVM
        Process process = new ProcessBuilder(executable.toString(), "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.out").toFile()).start();
        Haproxy h = new Haproxy(executable, mode, process, dir, port);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "haproxy-stop"));
        // ready once its statistics socket answers: it binds its listeners before it serves that socket,
        // and asking there opens no TCP connection of its own
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                h.command("show info");
                return h;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String out = Files.readString(dir.resolve("haproxy.out"));
                    h.close();
                    throw new IOException("HAProxy did not start: " + out.strip());
                }
                Thread.sleep(50);
            }
        }
    }

    /** The port HAProxy listens on, on 127.0.0.1. */
    int port() {
        return port;
    }

    Mode mode() {
        return mode;
    }

    /**
     * Connections HAProxy opened to the backend: the {@code connect} column of its statistics for
     * the server (requests are {@code stot}; with keep-alive many share one connection).
     */
    long backendConnections() throws IOException {
        String stats = command("show stat");
        List<String> lines = stats.lines().toList();
        List<String> header = List.of(lines.get(0).replaceFirst("^# ", "").split(","));
        int pxname = header.indexOf("pxname");
        int svname = header.indexOf("svname");
        int connect = header.indexOf("connect");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length > connect && f[pxname].equals("backend") && f[svname].equals("app")) {
                return Long.parseLong(f[connect]);
            }
        }
        throw new IOException("no statistics for the backend server in: " + stats);
    }

    private String command(String command) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(dir.resolve("stats.sock")));
            c.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer b = ByteBuffer.allocate(1 << 16);
            StringBuilder out = new StringBuilder();
            while (c.read(b) >= 0) {
                b.flip();
                out.append(StandardCharsets.US_ASCII.decode(b));
                b.clear();
            }
            return out.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
