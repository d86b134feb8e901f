package io.ephemera.track;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Events per second over the last 10 seconds and the last minute, from 60 one-second slots.
 * Each slot packs its second (high bits) and its count (low 24 bits) into one long, so a slot is
 * reset and incremented by one compare-and-set: no count is lost when a second rolls over.
 */
final class RateWindow {

    static final int SLOTS = 60;
    private static final int COUNT_BITS = 24;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

    private final AtomicLongArray slots = new AtomicLongArray(SLOTS);

    /** Counts one event in second {@code second} (seconds since the tracker started). */
    void record(long second) {
        int i = (int) (second % SLOTS);
        while (true) {
            long v = slots.get(i);
            long next;
            if ((v >>> COUNT_BITS) == second) {
                if ((v & COUNT_MASK) == COUNT_MASK) {
                    return; // 16 million events in one second in one slot: saturate rather than wrap
                }
                next = v + 1;
            } else {
                next = (second << COUNT_BITS) | 1;
            }
            if (slots.compareAndSet(i, v, next)) {
                return;
            }
        }
    }

    /**
     * Events per second over the last {@code window} seconds (at most 60) ending at
     * {@code nowNanos}, where {@code startNanos} is when second 0 began. The current second counts
     * for the part of it that has passed, so a steady rate reads steady.
     *
     * <p>The divisor is the window, also in the first seconds after the start: seconds before it
     * count as seconds without events. Dividing by the time since the start instead would make a
     * burst right after startup read as a rate that depends on how fast the burst ran (20 events in
     * the first 1.5 s would read 13/s on a fast machine, 5/s on a slow one); over the window they
     * read 2/s on any machine. A rate is then never higher than what the window really held.
     */
    double perSecond(int window, long nowNanos, long startNanos) {
        long elapsedNanos = Math.max(0, nowNanos - startNanos);
        double partial = (elapsedNanos % 1_000_000_000L) / 1e9;
        double span = Math.max(window - 1 + partial, 0.05); // a 1-second window at the start of its second
        return count(window, nowNanos, startNanos) / span;
    }

    /** The shortest time a rate over the time observed is read over: a first instant reads no rate of its own. */
    static final double MIN_OBSERVED_SECONDS = 1.0;

    /**
     * Events per second over the time actually observed, for a forecast: as {@link #perSecond}
     * once the window has been observed whole, else over the time since {@code sinceNanos} (when
     * the first event was counted, or when counting began, whichever is later), at least
     * {@value #MIN_OBSERVED_SECONDS} s. Four seconds into a steady 20/s, {@link #perSecond} reads
     * 80 events over the window, 8/s (the seconds before count as seconds without events); this
     * reads 20/s. A forecast made from the lower figure comes late, the dangerous way.
     *
     * <p>A burst right after the start reads here as fast as it ran, whatever the machine: that is
     * what a forecast needs (the ports are gone as fast as they were taken) and what a churn
     * verdict must not use ({@link #perSecond}'s comment).
     *
     * @param sinceNanos when observing began for these events: 0 or earlier than {@code startNanos}
     *                   means the start
     */
    double perSecondObserved(int window, long nowNanos, long startNanos, long sinceNanos) {
        long from = Math.max(startNanos, sinceNanos);
        double observed = Math.max(0, nowNanos - from) / 1e9;
        double partial = (Math.max(0, nowNanos - startNanos) % 1_000_000_000L) / 1e9;
        double span = window - 1 + partial;
        if (observed >= span) {
            return perSecond(window, nowNanos, startNanos);
        }
        // every event since `from` lies within the window: the seconds before it hold none
        return count(window, nowNanos, startNanos) / Math.max(observed, MIN_OBSERVED_SECONDS);
    }

    /** Events in the last {@code window} seconds (at most 60), the current second included. */
    long count(int window, long nowNanos, long startNanos) {
        long now = Math.max(0, nowNanos - startNanos) / 1_000_000_000L;
        long sum = 0;
        for (int k = 0; k < window && now - k >= 0; k++) {
            sum += at(now - k);
        }
        return sum;
    }

    /**
     * The most events any two consecutive seconds of the last {@code window} held: a burst shorter
     * than a second, however large, lies within two consecutive seconds.
     */
    long busiestTwoSeconds(int window, long nowNanos, long startNanos) {
        long now = Math.max(0, nowNanos - startNanos) / 1_000_000_000L;
        long busiest = 0;
        long later = 0;
        for (int k = 0; k < window && now - k >= 0; k++) {
            long n = at(now - k);
            busiest = Math.max(busiest, n + later);
            later = n;
        }
        return busiest;
    }

    /** The events of second {@code second}, 0 when its slot holds another second. */
    private long at(long second) {
        long v = slots.get((int) (second % SLOTS));
        return (v >>> COUNT_BITS) == second ? v & COUNT_MASK : 0;
    }
}
