package io.ephemera.it.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Leaves a known number of sockets for the {@code doctor} tests, on loopback, without the agent:
 * {@code TimeWaitMaker <timeWait> <held> <listeners> <holdSeconds>}.
 *
 * <ul>
 *   <li>{@code timeWait} connections, spread round-robin over {@code listeners} listeners of its
 *       own, each closed by this client first, so each leaves one TIME_WAIT socket here (run it
 *       with {@code tcp_tw_reuse=0}, or loopback reuse may take the ports back);</li>
 *   <li>then {@code held} connections to the first listener, kept open (ESTABLISHED, owned by
 *       this process);</li>
 *   <li>prints {@code READY <pid> <port>,<port>...} once every server side has closed, then
 *       keeps the held connections for {@code holdSeconds} (or until killed) and exits.</li>
 * </ul>
 * Bounded: it never has more than {@link #IN_FLIGHT} connections waiting for their server side.
 */
public final class TimeWaitMaker {

    static final int IN_FLIGHT = 64;

    private TimeWaitMaker() {
    }

    public static void main(String[] args) throws Exception {
        int timeWait = Integer.parseInt(args[0]);
        int held = Integer.parseInt(args[1]);
        int listeners = Integer.parseInt(args[2]);
        int holdSeconds = Integer.parseInt(args[3]);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<Server> servers = new ArrayList<>();
        for (int i = 0; i < listeners; i++) {
            int closing = timeWait / listeners + (i < timeWait % listeners ? 1 : 0);
            servers.add(new Server(loopback, closing));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (int i = 0; i < timeWait; i++) {
            awaitClosed(servers, i - IN_FLIGHT, deadline);
            new Socket(loopback, servers.get(i % listeners).port()).close(); // this side first: TIME_WAIT here
        }
        awaitClosed(servers, timeWait, deadline);
        List<Socket> kept = new ArrayList<>();
        for (int i = 0; i < held; i++) {
            kept.add(new Socket(loopback, servers.get(0).port()));
        }
        StringJoiner ports = new StringJoiner(",");
        servers.forEach(s -> ports.add(Integer.toString(s.port())));
        System.out.println("READY\t" + ProcessHandle.current().pid() + "\t" + ports);
        System.out.flush();
        Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
        for (Socket s : kept) {
            s.close();
        }
    }

    /** Waits until the servers have closed at least {@code n} connections. */
    private static void awaitClosed(List<Server> servers, int n, long deadline) throws InterruptedException {
        while (true) {
            int closed = 0;
            for (Server s : servers) {
                closed += s.closed.get();
            }
            if (closed >= n) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the servers closed " + closed + " of " + n + " connections");
            }
            Thread.sleep(1);
        }
    }

    /**
     * Accepts; the first {@code closing} connections it reads to the client's FIN and then closes
     * (so the client closed first), the rest it keeps open.
     */
    static final class Server {
        private final ServerSocket socket;
        private final int closing;
        private int accepted;
        final AtomicInteger closed = new AtomicInteger();
        private final List<Socket> kept = new ArrayList<>();

        Server(InetAddress address, int closing) throws IOException {
            this.closing = closing;
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(address, 0), 256);
            Thread t = new Thread(this::serve, "maker-server-" + socket.getLocalPort());
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            try {
                while (true) {
                    Socket s = socket.accept();
                    if (++accepted > closing) {
                        kept.add(s);
                        continue;
                    }
                    try (s) {
                        InputStream in = s.getInputStream();
                        while (in.read() >= 0) {
                            // until the client's FIN
                        }
                    }
                    closed.incrementAndGet();
                }
            } catch (IOException e) {
                // closed at exit
            }
        }
    }
}
