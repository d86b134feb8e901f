package io.ephemera.track;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Connection lifetimes in a fixed array of log-linear buckets over microseconds: exact below
 * 8 µs, then four buckets per power of two (at most 19% wide) up to about 52 days. Recording is one
 * atomic increment; memory is fixed whatever the load.
 */
final class LifetimeHistogram {

    private static final int LINEAR = 8;
    private static final int SUB_BITS = 2;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 42;
    static final int BUCKETS = LINEAR + (MAX_EXPONENT - 2) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long micros) {
        counts.incrementAndGet(bucket(micros));
    }

    static int bucket(long micros) {
        if (micros < LINEAR) {
            return (int) Math.max(0, micros);
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        if (exponent >= MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int sub = (int) (micros >>> (exponent - SUB_BITS)) & (SUB - 1);
        return LINEAR + (exponent - 3) * SUB + sub;
    }

    /** The lowest value, in microseconds, that falls in {@code bucket}. */
    static long lowerBound(int bucket) {
        if (bucket < LINEAR) {
            return bucket;
        }
        int exponent = (bucket - LINEAR) / SUB + 3;
        int sub = (bucket - LINEAR) % SUB;
        return (1L << exponent) + ((long) sub << (exponent - SUB_BITS));
    }

    /** The value at quantile {@code q} (0..1) in milliseconds, the middle of its bucket; 0 when empty. */
    double quantileMillis(double q) {
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            total += snapshot[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        if (rank < 1) {
            rank = 1;
        }
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                long lo = lowerBound(i);
                long hi = i + 1 < BUCKETS ? lowerBound(i + 1) : lo;
                return (lo + hi) / 2.0 / 1000.0;
            }
        }
        return lowerBound(BUCKETS - 1) / 1000.0;
    }

    void clear() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
    }
}
