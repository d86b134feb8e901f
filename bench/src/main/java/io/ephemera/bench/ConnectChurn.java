package io.ephemera.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connect churn, the client side: {@code threads} threads each connect to the {@link EchoServer},
 * send one byte, read it back and close (the client first, as a client that opens a connection per
 * request does). Runs {@code warmup} seconds unmeasured, then {@code seconds} measured, and prints
 * connects per second, the client JVM's CPU time and allocation per connect.
 *
 * <p>usage: ConnectChurn host port threads warmupSeconds seconds
 */
public final class ConnectChurn {

    private ConnectChurn() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress to = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int threads = Integer.parseInt(args[2]);
        double warmup = Double.parseDouble(args[3]);
        double seconds = Double.parseDouble(args[4]);
        awaitServer(to);
        LongAdder done = new LongAdder();
        Thread[] all = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            all[t] = new Thread(() -> {
                byte[] b = new byte[1];
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        connectOnce(to, b);
                        done.increment();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "client-" + t);
            all[t].setDaemon(true);
            all[t].start();
        }
        System.out.println("threads=" + threads + " " + Measure.window(done, warmup, seconds, "connect"));
        System.exit(0);
    }

    static void connectOnce(InetSocketAddress to, byte[] b) throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(to);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(b);
            if (in.read(b) != 1) {
                throw new IOException("no echo");
            }
        }
    }

    /** Waits up to 20 s for the server JVM to listen. */
    static void awaitServer(InetSocketAddress to) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(to);
                return;
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
