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
 * <p>With host {@code inproc} the echo server runs in this JVM, on {@code port} of 127.0.0.1, with
 * one accepting thread per client thread: the accept side is then measured too (an agent pays for
 * each connection twice, once for its connect and once for its accept), as in a backend that
 * calls itself or a test that starts its server in-process.
 *
 * <p>usage: ConnectChurn host|inproc port threads warmupSeconds seconds
 */
public final class ConnectChurn {

    private ConnectChurn() {
    }

    public static void main(String[] args) throws Exception {
        boolean inproc = args[0].equals("inproc");
        InetSocketAddress to = new InetSocketAddress(inproc ? "127.0.0.1" : args[0], Integer.parseInt(args[1]));
        int threads = Integer.parseInt(args[2]);
        if (inproc) {
            EchoServer.start(to.getPort(), threads, 4096);
        }
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
        System.out.println("threads=" + threads + (inproc ? " server=inproc " : " ") + Measure.window(done, warmup, seconds, "connect"));
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
