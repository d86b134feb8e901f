package io.ephemera.track;

import io.ephemera.config.Config;

/** A tracker on a clock that moves only when the test moves it, for tests outside this package. */
public final class ManualTracker {

    private final ManualClock clock = new ManualClock(1_000_000_000_000L);
    private final Tracker tracker;

    public ManualTracker(Config config) {
        this.tracker = new Tracker(config, Tracker.class.getProtectionDomain().getCodeSource(), clock);
    }

    public Tracker tracker() {
        return tracker;
    }

    /** Moves to {@code millis} after the tracker's start. */
    public void atMillis(long millis) {
        clock.atMillis(millis);
    }
}
