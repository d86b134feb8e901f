package io.ephemera.it.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A JVM that runs its network namespace out of ephemeral ports, for the command line's exhaustion
 * lab. Run it in a namespace of its own with a narrow {@code ip_local_port_range} and
 * {@code tcp_tw_reuse=0}. It listens on {@code 127.0.0.1:<port>} (a port below the range), prints
 * {@code READY <pid>}, then answers lines on stdin:
 * <ul>
 *   <li>{@code FILL <tag>}: connects to itself and closes first, so each port stays in TIME_WAIT,
 *       until {@code connect()} fails with EADDRNOTAVAIL (at most {@link #MAX_CONNECTS} tries), then
 *       tries {@code bind(0)} and prints {@code FULL <tag> connects=<n> exhausted=<true|false>
 *       bind0=<failed|ok:port>}; {@code connects=0} means no port had been freed since the last fill;</li>
 *   <li>{@code STOP}: exits.</li>
 * </ul>
 */
public final class PortExhauster {

    /** Far more than any range the lab sets: the loop always stops by itself. */
    static final int MAX_CONNECTS = 70_000;

    private PortExhauster() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        Thread acceptor = new Thread(() -> serve(server), "acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println("READY\t" + ProcessHandle.current().pid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("STOP")) {
                break;
            }
            if (line.startsWith("FILL ")) {
                fill(port, line.substring("FILL ".length()));
            }
        }
        server.close();
    }

    private static void fill(int port, String tag) {
        int connects = 0;
        boolean exhausted = false;
        for (int i = 0; i < MAX_CONNECTS && !exhausted; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
                connects++;
                // closed first here: the port stays in TIME_WAIT for 60 s
            } catch (IOException e) {
                exhausted = String.valueOf(e.getMessage()).contains("Cannot assign requested address");
                if (!exhausted) {
                    System.out.println("FULL " + tag + " failed " + e);
                    return;
                }
            }
        }
        String bind0;
        try (ServerSocket probe = new ServerSocket(0)) {
            bind0 = "ok:" + probe.getLocalPort();
        } catch (BindException e) {
            bind0 = "failed";
        } catch (IOException e) {
            bind0 = "error:" + e;
        }
        System.out.println("FULL " + tag + " connects=" + connects + " exhausted=" + exhausted + " bind0=" + bind0);
    }

    /** Reads each accepted connection to its end, then closes it: the client closed first. */
    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> drain(s), "drain");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void drain(Socket s) {
        try (s; InputStream in = s.getInputStream()) {
            while (in.read() >= 0) {
                // until the client's FIN
            }
        } catch (IOException ignored) {
            // the client reset: nothing to keep
        }
    }
}
