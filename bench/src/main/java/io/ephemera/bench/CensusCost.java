package io.ephemera.bench;

import io.ephemera.config.Config;
import io.ephemera.hook.Hook;
import io.ephemera.kernel.Census;
import io.ephemera.kernel.KernelView;
import io.ephemera.track.Tracker;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * The census's cost against the kernel's own: in a fresh network namespace (run through
 * bench/census-cost.sh), makes TIME_WAIT sockets up to each size, then times, in the same run,
 * {@code cat} of /proc/net/tcp and tcp6, a plain read of the same files, and a full census pass
 * (read, parse, join with a tracker that saw every connection close).
 */
public final class CensusCost {

    private CensusCost() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = Arrays.stream(args.length > 0 ? args : new String[] {"1000", "10000", "30000"})
                .mapToInt(Integer::parseInt).toArray();
        int recorded = Integer.getInteger("recorded", 100_000);
        Tracker tracker = new Tracker(Config.parse("closes.max=" + (recorded + 65_536), new Properties()), null);
        Census census = new Census(Path.of("/proc"), 5_000, tracker, System.err::println);
        int made = 0;
        try (ServerSocket server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> drain(server), "drain");
            t.setDaemon(true);
            t.start();
            for (int size : sizes) {
                while (made < size) {
                    Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
                    tracker.connected(s, Hook.API_SOCKET, s.getRemoteSocketAddress(), false);
                    s.close(); // the client closes first: the TIME_WAIT is here, attributable
                    tracker.closed(s, Hook.API_SOCKET, null);
                    made++;
                }
                Thread.sleep(300); // let the server side finish closing
                measure(size, census);
            }
            // connections the tracker remembers closing, beyond those the kernel still shows
            java.nio.channels.SocketChannel owner = java.nio.channels.SocketChannel.open();
            for (int i = 0; i < recorded; i++) {
                java.net.InetSocketAddress far = new java.net.InetSocketAddress(
                        InetAddress.getByAddress(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}), 443);
                tracker.connected(owner, Hook.API_CHANNEL, far, false);
                tracker.closed(owner, Hook.API_CHANNEL, null);
            }
            owner.close();
            System.out.print("recorded=" + tracker.recentCloses().size() + " ");
            measure(made, census);
        }
    }

    private static void measure(int size, Census census) throws Exception {
        int rounds = 15;
        double[] cat = new double[rounds];
        double[] read = new double[rounds];
        double[] scan = new double[rounds];
        double[] alloc = new double[rounds];
        KernelView v = null;
        for (int i = 0; i < rounds; i++) {
            cat[i] = timeCat();
            long t0 = System.nanoTime();
            long bytes = readAll(Path.of("/proc/net/tcp")) + readAll(Path.of("/proc/net/tcp6"));
            read[i] = (System.nanoTime() - t0) / 1e6;
            if (bytes == 0) {
                throw new IllegalStateException("nothing read");
            }
            long a0 = THREADS.getCurrentThreadAllocatedBytes();
            t0 = System.nanoTime();
            v = census.scan();
            scan[i] = (System.nanoTime() - t0) / 1e6;
            alloc[i] = THREADS.getCurrentThreadAllocatedBytes() - a0;
        }
        double c = median(cat);
        double r = median(read);
        double s = median(scan);
        System.out.printf(Locale.ROOT,
                "sockets=%d timewait=%d owned=%d cat_ms=%.2f [%.2f..%.2f] read_ms=%.2f census_ms=%.2f [%.2f..%.2f]"
                        + " census/cat=%.2f census/read=%.2f census_alloc_KiB=%.0f duty_at_5s=%.3f%%%n",
                v.sockets(), v.timeWait(), v.ownedTimeWait(), c, min(cat), max(cat), r, s, min(scan), max(scan),
                s / c, s / r, median(alloc) / 1024, s / 5000 * 100);
    }

    /** {@code cat} of both tables, timed around the process: fork and exec included, as a user would see it. */
    private static double timeCat() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("cat", "/proc/net/tcp", "/proc/net/tcp6")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static final ByteBuffer BUFFER = ByteBuffer.allocate(64 * 1024);

    private static long readAll(Path p) throws IOException {
        long n = 0;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            for (int r; (r = ch.read(BUFFER.clear())) >= 0; ) {
                n += r;
            }
        }
        return n;
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void drain(ServerSocket server) {
        while (true) {
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                while (in.read() >= 0) {
                    // until the client's FIN, so the client closes first
                }
            } catch (IOException e) {
                return;
            }
        }
    }
}
