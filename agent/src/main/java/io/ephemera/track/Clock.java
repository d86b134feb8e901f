package io.ephemera.track;

/** Monotonic time for lifetimes and rates; replaceable in tests. */
class Clock {

    static final Clock SYSTEM = new Clock(System.nanoTime());

    private final long startNanos;

    Clock(long startNanos) {
        this.startNanos = startNanos;
    }

    long nanoTime() {
        return System.nanoTime();
    }

    long startNanos() {
        return startNanos;
    }

    /** Whole seconds since the clock started. */
    long second(long nanos) {
        return Math.max(0, nanos - startNanos) / 1_000_000_000L;
    }
}
