package io.ephemera.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The peer of the whole-process benchmarks, in its own JVM without the agent (so the agent's cost
 * is measured once, on the client's side, as a real backend pays it): echoes whatever it reads
 * until the client closes, then closes. The client closes first, so its TIME_WAIT sockets are the
 * client's, as in production.
 *
 * <p>usage: EchoServer port [threads] [backlog]; listens on every address (127.0.0.0/8 are all
 * destinations) until killed.
 */
public final class EchoServer {

    private EchoServer() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int backlog = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
        start(port, threads, backlog);
        System.out.println("listening " + port);
    }

    /** Listens on {@code port} with {@code threads} non-daemon echoing threads; returns once bound. */
    static void start(int port, int threads, int backlog) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port), backlog);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> serve(server), "echo-" + i);
            t.start();
        }
    }

    private static void serve(ServerSocket server) {
        byte[] buf = new byte[4096];
        while (true) {
            try (Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }
}
