package io.ephemera.track;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The connections that ended most recently, in a ring of {@code closes.max} slots: what the
 * census needs to attribute a TIME_WAIT socket (which no process owns) to the call site that
 * closed it. Adding is one atomic increment and one store, with no allocation: the ring holds the
 * {@link Connection} records themselves.
 */
final class RecentCloses {

    /** The longest a TIME_WAIT socket can remember a connection (Linux: 60 s, fixed). */
    static final long TIME_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final AtomicReferenceArray<Connection> ring;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong drops = new AtomicLong();

    RecentCloses(int capacity) {
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    void add(Connection c, long nowNanos) {
        int i = (int) (next.getAndIncrement() % ring.length());
        Connection evicted = ring.getAndSet(i, c);
        if (evicted != null && nowNanos - evicted.closeNanos < TIME_WAIT_NANOS) {
            drops.incrementAndGet();
        }
    }

    long drops() {
        return drops.get();
    }

    /** The connections held now, oldest first (approximately: writers race benignly). */
    List<Connection> snapshot() {
        long end = next.get();
        int n = ring.length();
        List<Connection> out = new ArrayList<>((int) Math.min(end, n));
        for (long k = Math.max(0, end - n); k < end; k++) {
            Connection c = ring.get((int) (k % n));
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }
}
