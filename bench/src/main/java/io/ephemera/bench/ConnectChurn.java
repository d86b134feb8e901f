package io.ephemera.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * A loopback connect/accept/close loop: {@code threads} clients each open and close
 * {@code connects} connections to an in-process server. Prints connects per second and process CPU
 * time per connect. Run it with and without the agent and compare (see bench/connect-churn.sh).
 */
public final class ConnectChurn {

    private ConnectChurn() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int connects = Integer.parseInt(args[1]);
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : connects / 5;
        try (ServerSocket server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress())) {
            InetSocketAddress to = new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
            Thread acceptor = new Thread(() -> serve(server), "acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            run(to, threads, warmup);
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            run(to, threads, connects);
            long wall = System.nanoTime() - t0;
            long cpu = processCpuNanos() - cpu0;
            long total = (long) threads * connects;
            System.out.printf(Locale.ROOT, "threads=%d connects=%d wall_ms=%d connects_per_s=%.0f cpu_us_per_connect=%.2f%n",
                    threads, total, wall / 1_000_000, total / (wall / 1e9), cpu / 1e3 / total);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void run(InetSocketAddress to, int threads, int perThread) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    for (int i = 0; i < perThread; i++) {
                        connectOnce(to);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } finally {
                    done.countDown();
                }
            }, "client-" + t);
            all.add(th);
            th.start();
        }
        done.await();
    }

    private static void connectOnce(InetSocketAddress to) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to);
            s.getOutputStream().write(1);
            s.getInputStream().read(); // the server closes first: its TIME_WAIT never blocks our ports
        }
    }

    private static void serve(ServerSocket server) {
        while (true) {
            try {
                Socket s = server.accept();
                s.getInputStream().read();
                s.close();
            } catch (IOException e) {
                return;
            }
        }
    }
}
