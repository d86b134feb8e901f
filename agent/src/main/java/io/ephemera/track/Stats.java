package io.ephemera.track;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The counters kept for one call site or one destination. Totals are exact (atomic increments);
 * rates, the opens and ends of a recent window and lifetime quantiles come from fixed-size windows
 * (about 3 KB in all). Counting never allocates; only reading {@link #recent} does.
 */
public final class Stats {

    private static final int CONNECTS = 0;
    private static final int ACCEPTS = 1;
    private static final int CLOSES = 2;
    private static final int OPEN = 3;
    private static final int LEAKS = 4;
    private static final int FAILURES = 5;
    private static final int SIZE = FAILURES + FailureCause.values().length;

    private final AtomicLongArray counts = new AtomicLongArray(SIZE);
    private final RateWindow opens = new RateWindow();
    private final RateWindow ends = new RateWindow();
    /** Accepts alone: a site that only accepts says so ({@link #acceptRatePerSecond}). */
    private final RateWindow acceptsOnly = new RateWindow();
    private final LifetimeHistogram lifetimes = new LifetimeHistogram();
    private final Clock clock;
    /** When the first connect or accept was counted ({@link Clock#nanoTime()}); 0 before. */
    private volatile long firstOpenNanos;

    Stats(Clock clock) {
        this.clock = clock;
    }

    /** Counts a connect or accept; {@code followed} false when it will never be seen closing. */
    void opened(boolean inbound, long nowNanos, boolean followed) {
        counts.incrementAndGet(inbound ? ACCEPTS : CONNECTS);
        if (followed) {
            counts.incrementAndGet(OPEN);
        }
        long second = clock.second(nowNanos);
        opens.record(second);
        if (inbound) {
            acceptsOnly.record(second);
        }
        if (firstOpenNanos == 0) {
            firstOpenNanos = nowNanos; // racing first opens store nearly the same instant: either will do
        }
    }

    void closed(long lifetimeNanos, boolean leaked) {
        counts.incrementAndGet(CLOSES);
        counts.decrementAndGet(OPEN);
        if (leaked) {
            counts.incrementAndGet(LEAKS);
        }
        lifetimes.record(lifetimeNanos / 1_000L);
        ends.record(clock.second(clock.nanoTime()));
    }

    void failed(FailureCause cause) {
        counts.incrementAndGet(FAILURES + cause.ordinal());
    }

    /** Successful outbound connects. */
    public long connects() {
        return counts.get(CONNECTS);
    }

    /** Accepted inbound connections. */
    public long accepts() {
        return counts.get(ACCEPTS);
    }

    /** Connections that ended: closed by the application, or found unreachable (leaked). */
    public long closes() {
        return counts.get(CLOSES);
    }

    /** Connections open now. */
    public long open() {
        return counts.get(OPEN);
    }

    /** Connections that became unreachable without being closed. */
    public long leaks() {
        return counts.get(LEAKS);
    }

    /** Failed connects, all causes. */
    public long failures() {
        long sum = 0;
        for (FailureCause c : FailureCause.values()) {
            sum += counts.get(FAILURES + c.ordinal());
        }
        return sum;
    }

    /** Failed connects of one cause. */
    public long failures(FailureCause cause) {
        return counts.get(FAILURES + cause.ordinal());
    }

    /** Failures by cause, {@code refused=2,timedOut=1}; empty when none failed. */
    public String failuresByCause() {
        StringBuilder b = new StringBuilder();
        for (FailureCause c : FailureCause.values()) {
            long n = counts.get(FAILURES + c.ordinal());
            if (n > 0) {
                b.append(b.length() == 0 ? "" : ",").append(c.label()).append('=').append(n);
            }
        }
        return b.toString();
    }

    /** Connects and accepts per second over the last {@code seconds} (10 or 60). */
    public double openRatePerSecond(int seconds) {
        return opens.perSecond(seconds, clock.nanoTime(), clock.startNanos());
    }

    /** Accepts alone per second over the last {@code seconds} (10 or 60). */
    public double acceptRatePerSecond(int seconds) {
        return acceptsOnly.perSecond(seconds, clock.nanoTime(), clock.startNanos());
    }

    /**
     * Connects and accepts per second over the last {@code seconds}, or over the time actually
     * observed when that is shorter: since the agent started or since the first one here,
     * whichever is later. For a forecast: four seconds into a steady 20/s it reads 20/s, where
     * {@link #openRatePerSecond} reads 8/s (see {@code RateWindow.perSecondObserved}).
     */
    public double openRatePerSecondObserved(int seconds) {
        long first = firstOpenNanos;
        long now = clock.nanoTime();
        return first == 0 ? 0 : opens.perSecondObserved(seconds, now, clock.startNanos(), first);
    }

    /**
     * What the last {@code seconds} (at most 60, the current one included) held, read at one
     * instant: how many connections opened and ended, and how the opens were spread.
     */
    public Recent recent(int seconds) {
        long now = clock.nanoTime();
        long start = clock.startNanos();
        return new Recent(opens.count(seconds, now, start), ends.count(seconds, now, start),
                opens.busiestTwoSeconds(seconds, now, start), open());
    }

    /**
     * Connections opened and ended over a recent window, and open now.
     *
     * @param opens             connects and accepts in the window
     * @param ends              connections that ended in the window, whenever they opened
     * @param busiestTwoSeconds the most opens any two consecutive seconds of the window held
     * @param openNow           connections open now
     */
    public record Recent(long opens, long ends, long busiestTwoSeconds, long openNow) {

        /**
         * How many more connections are open now than when the window began: opens less ends,
         * never more than are open now (a connection not followed opens but is never seen ending).
         */
        public long openGrowth() {
            return Math.min(opens - ends, openNow);
        }
    }

    /** Median lifetime of the connections that ended, in milliseconds; 0 before any ended. */
    public double medianLifetimeMillis() {
        return lifetimes.quantileMillis(0.5);
    }

    /** 99th percentile lifetime of the connections that ended, in milliseconds. */
    public double p99LifetimeMillis() {
        return lifetimes.quantileMillis(0.99);
    }
}
