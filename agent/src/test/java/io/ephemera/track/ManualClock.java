package io.ephemera.track;

/** A clock that moves only when the test moves it: rates and lifetimes without the machine's speed. */
final class ManualClock extends Clock {

    private long now;

    ManualClock(long startNanos) {
        super(startNanos);
        this.now = startNanos;
    }

    @Override
    long nanoTime() {
        return now;
    }

    void advanceMillis(long millis) {
        now += millis * 1_000_000L;
    }

    /** Moves to {@code millis} after the clock's start. */
    void atMillis(long millis) {
        now = startNanos() + millis * 1_000_000L;
    }
}
