package io.ephemera.track;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifetimeHistogramTest {

    @Test
    void bucketsAreMonotonicAndCoverEveryValue() {
        int last = -1;
        for (long v = 0; v < 1L << 20; v += 1 + v / 64) {
            int b = LifetimeHistogram.bucket(v);
            assertTrue(b >= last, "bucket of " + v);
            assertTrue(LifetimeHistogram.lowerBound(b) <= v, "lower bound of " + v);
            if (b + 1 < LifetimeHistogram.BUCKETS) {
                assertTrue(LifetimeHistogram.lowerBound(b + 1) > v, "next bound above " + v);
            }
            last = b;
        }
        assertEquals(LifetimeHistogram.BUCKETS - 1, LifetimeHistogram.bucket(Long.MAX_VALUE));
        assertEquals(0, LifetimeHistogram.bucket(-5));
    }

    @Test
    void quantilesWithinABucketsWidth() {
        LifetimeHistogram h = new LifetimeHistogram();
        assertEquals(0.0, h.quantileMillis(0.5));
        for (int i = 1; i <= 1000; i++) {
            h.record(i * 1000L); // 1..1000 ms
        }
        double median = h.quantileMillis(0.5);
        double p99 = h.quantileMillis(0.99);
        assertTrue(Math.abs(median - 500) / 500 < 0.20, "median " + median);
        assertTrue(Math.abs(p99 - 990) / 990 < 0.20, "p99 " + p99);
    }

    @Test
    void singleValue() {
        LifetimeHistogram h = new LifetimeHistogram();
        h.record(3);
        assertEquals(0.0035, h.quantileMillis(0.5), 1e-9);
    }
}
