package io.ephemera.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.LongAdder;

/**
 * Steady traffic over long-lived connections: {@code connections} threads each open one
 * connection to the {@link EchoServer} and then, for the whole run, write a {@code size}-byte
 * request and read the echoed response, with no new connection. Prints requests per second and
 * the client JVM's CPU time and allocation per request.
 *
 * <p>usage: KeepAlive host port connections warmupSeconds seconds [size]
 */
public final class KeepAlive {

    private KeepAlive() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress to = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int connections = Integer.parseInt(args[2]);
        double warmup = Double.parseDouble(args[3]);
        double seconds = Double.parseDouble(args[4]);
        int size = args.length > 5 ? Integer.parseInt(args[5]) : 256;
        ConnectChurn.awaitServer(to);
        LongAdder done = new LongAdder();
        for (int t = 0; t < connections; t++) {
            Thread th = new Thread(() -> {
                byte[] req = new byte[size];
                byte[] resp = new byte[size];
                try (Socket s = new Socket()) {
                    s.setTcpNoDelay(true);
                    s.connect(to);
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    while (true) {
                        out.write(req);
                        for (int got = 0; got < size; ) {
                            int n = in.read(resp, got, size - got);
                            if (n < 0) {
                                throw new IOException("closed");
                            }
                            got += n;
                        }
                        done.increment();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "keepalive-" + t);
            th.setDaemon(true);
            th.start();
        }
        System.out.println("connections=" + connections + " " + Measure.window(done, warmup, seconds, "request"));
        System.exit(0);
    }
}
