package io.ephemera.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/** Process CPU time and bytes allocated by every live thread: the cost side of a measurement. */
final class Measure {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    final long wallNanos;
    final long cpuNanos;
    final long allocatedBytes;

    private Measure(long wallNanos, long cpuNanos, long allocatedBytes) {
        this.wallNanos = wallNanos;
        this.cpuNanos = cpuNanos;
        this.allocatedBytes = allocatedBytes;
    }

    static Measure now() {
        long alloc = 0;
        for (long b : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            alloc += Math.max(0, b);
        }
        return new Measure(System.nanoTime(), OS.getProcessCpuTime(), alloc);
    }

    /**
     * Lets {@code warmup} seconds pass, then measures {@code seconds} of the operations counted
     * in {@code done}: the line {@link #since} gives.
     */
    static String window(LongAdder done, double warmup, double seconds, String unit) throws InterruptedException {
        Thread.sleep((long) (warmup * 1000));
        long n0 = done.sum();
        Measure m0 = now();
        Thread.sleep((long) (seconds * 1000));
        long n1 = done.sum();
        return now().since(m0, n1 - n0, unit);
    }

    /** {@code ops/s cpu_us/op alloc_B/op} between {@code from} and this. */
    String since(Measure from, long ops, String unit) {
        double wall = (wallNanos - from.wallNanos) / 1e9;
        return String.format(Locale.ROOT, "%s=%d wall_s=%.2f %s_per_s=%.0f cpu_us_per_%s=%.2f alloc_B_per_%s=%.0f cpu_util=%.2f",
                unit, ops, wall, unit, ops / wall, unit, (cpuNanos - from.cpuNanos) / 1e3 / Math.max(1, ops),
                unit, (double) (allocatedBytes - from.allocatedBytes) / Math.max(1, ops),
                (cpuNanos - from.cpuNanos) / 1e9 / wall);
    }
}
