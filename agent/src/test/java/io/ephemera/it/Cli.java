package io.ephemera.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** The command line, {@code java -jar ephemera-agent.jar ...}, run as a user runs it, and what a process holds. */
final class Cli {

    private Cli() {
    }

    /** Runs the agent jar's command line with these arguments. */
    static ForkedJvm.Result cli(String... args) {
        return cliUnder(List.of(), args);
    }

    /** As {@link #cli}, under a wrapper command such as {@code nsenter}. */
    static ForkedJvm.Result cliUnder(List<String> wrapper, String... args) {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(ForkedJvm.JAVA, "-jar", ForkedJvm.AGENT_JAR.toString()));
        cmd.addAll(List.of(args));
        return run(null, 90, cmd.toArray(new String[0]));
    }

    /**
     * {@code report <pid> [flags]} (under {@code wrapper}), asked again until the agent's census has
     * made its first pass (the header says {@code census=available}), for at most 60 s: what a
     * report says of the kernel is there only after that pass, however slow the machine.
     */
    static ForkedJvm.Result reportOnceCensusRan(List<String> wrapper, String pid, String... flags) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("report", pid));
        args.addAll(List.of(flags));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            ForkedJvm.Result r = cliUnder(wrapper, args.toArray(new String[0]));
            if (r.exit != 0 || r.out.contains("census=available") || r.out.contains("\"census\":\"available\"")
                    || System.nanoTime() - deadline > 0) {
                return r;
            }
            Thread.sleep(200);
        }
    }

    /** Runs a command to its end (at most {@code seconds}) with no input, and collects its output. */
    static ForkedJvm.Result run(Path directory, int seconds, String... command) {
        List<String> cmd = List.of(command);
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            Process p = pb.start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread o = ForkedJvm.pump(p.getInputStream(), out);
            Thread e = ForkedJvm.pump(p.getErrorStream(), err);
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out after " + seconds + " s: " + cmd + "\nstdout:\n" + out + "\nstderr:\n" + err);
            }
            o.join(10_000);
            e.join(10_000);
            return new ForkedJvm.Result(p.exitValue(), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8), cmd);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /**
     * The listening TCP sockets process {@code pid} holds, as {@code local-address:port} (hex, as
     * {@code /proc/net/tcp} writes them): the LISTEN rows of its network namespace's tables whose
     * inode is one of its descriptors.
     */
    static Set<String> listening(long pid) throws IOException {
        Set<String> inodes = new TreeSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        Set<String> out = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path p = Path.of("/proc/" + pid + "/net/" + table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    out.add(table + " " + f[1]);
                }
            }
        }
        return out;
    }

    /** The names of the threads of process {@code pid} (at most 15 characters each, as the kernel keeps them). */
    static List<String> threads(long pid) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks) {
                try {
                    names.add(Files.readString(t.resolve("comm")).strip());
                } catch (IOException e) {
                    // ended meanwhile
                }
            }
        }
        return names;
    }
}
