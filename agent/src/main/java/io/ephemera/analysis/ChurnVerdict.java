package io.ephemera.analysis;

/**
 * Whether a call site churns: opens new connections at a sustained rate instead of reusing them,
 * whether it closes them soon (the ports stay held in TIME_WAIT) or leaves them open and idle in
 * pools nothing reuses (a new HTTP client per request: the ports stay held open).
 *
 * <p><b>Closed quickly</b> ({@link Churn#CLOSED_QUICKLY}), when either holds:
 * <ul>
 *   <li>its connects, each holding a port for the hold time, would occupy at least
 *       {@code churn.budget} of a destination's port budget: {@code rate × hold ≥ share × budget};</li>
 *   <li>it connects at {@code churn.rate} or more and its connections' median lifetime is under
 *       {@code churn.lifetime}: a new connection per request, whatever the sysctls hide.</li>
 * </ul>
 * Both need connections that ended and at least one connect a second. The first test needs the
 * budget and the hold time from the kernel; when either is unknown it is not made, and the second,
 * which needs only what the agent counted, still is.
 *
 * <p><b>Piling up open</b> ({@link Churn#PILING_UP_OPEN}): over the rate window (the last
 * {@value #WINDOW_SECONDS} s) all three hold:
 * <ul>
 *   <li>it connects at {@code churn.rate} or more (at least one a second): the same rate that makes
 *       a new connection per request churn when it is closed, so 100 connects in the window at the
 *       default 10/s;</li>
 *   <li>the open count grew by more than half of those connects ({@link #MOSTLY_OPEN}): most of
 *       them are still open, so it is not the lifetime test's business (a site whose connections
 *       mostly end is judged by the closed-quickly tests);</li>
 *   <li>the connects were sustained: no two consecutive seconds hold more than two thirds of them
 *       ({@link #SUSTAINED_SECONDS}). For a steady rate lasting {@code T} seconds, two consecutive
 *       seconds hold at most {@code 2/T} of it, so this is "it lasted 3 seconds or more". A pool
 *       filling up, at startup or after a spike, opens its connections in one burst: a burst
 *       shorter than a second lies within two consecutive seconds whatever its size (200 or 2,000
 *       connections), and is never flagged; one that lasts under 2 s is flagged only when split
 *       into two bursts about a second apart.</li>
 * </ul>
 * A pool that is reused opens a handful of connections and keeps them: its rate over the window
 * falls to 0 once it is full. When the per-request code stops, the window empties and the verdict
 * ends with it; the connections it left open age into the {@code long-lived} finding. Nothing here
 * depends on the kernel: an unknown budget or hold time never hides this verdict.
 *
 * <p>A site that only accepts connections is never piling up: what an inbound peer leaves open is
 * the peer's pool, judged on the peer's side.
 */
public final class ChurnVerdict {

    /** Below one connect a second nothing churns, whatever a tiny port range says. */
    public static final double MIN_RATE = 1.0;
    /** The rate window, in seconds: every rate the verdict reads is over it. */
    public static final int WINDOW_SECONDS = 10;
    /** The share of the window's connects that must still be open for them to be piling up: more than half. */
    public static final double MOSTLY_OPEN = 0.5;
    /** How long, at least, a steady rate of new connections must have lasted to be piling up. */
    public static final int SUSTAINED_SECONDS = 3;

    /** What a call site's verdict is. */
    public enum Churn {
        /** It does not churn. */
        NONE(""),
        /** New connections that end soon: their ports stay held in TIME_WAIT after them. */
        CLOSED_QUICKLY("closed quickly"),
        /** New connections that stay open, idle, never reused: their ports stay held while they are open. */
        PILING_UP_OPEN("piling up open");

        private final String label;

        Churn(String label) {
            this.label = label;
        }

        /** How the report says it: {@code closed quickly}, {@code piling up open}; empty for {@link #NONE}. */
        public String label() {
            return label;
        }
    }

    private final double budgetShare;
    private final double minRate;
    private final double maxMedianLifetimeMillis;

    /**
     * @param budgetShare           {@code churn.budget} as a fraction (0.05 for 5%)
     * @param minRate               {@code churn.rate}, connects per second
     * @param maxMedianLifetimeMillis {@code churn.lifetime} in milliseconds
     */
    public ChurnVerdict(double budgetShare, double minRate, double maxMedianLifetimeMillis) {
        this.budgetShare = budgetShare;
        this.minRate = minRate;
        this.maxMedianLifetimeMillis = maxMedianLifetimeMillis;
    }

    /**
     * Whether new connections are closed quickly enough to churn.
     *
     * @param ratePerSecond    the site's connects per second over the last 10 seconds
     * @param holdSeconds      how long each of its closed ports stays held (negative when unknown)
     * @param budget           the port budget of the destination it uses most (0 or negative when unknown)
     * @param closes           connections from the site that have ended
     * @param medianLifetimeMillis their median lifetime
     */
    public boolean churning(double ratePerSecond, double holdSeconds, long budget, long closes,
                            double medianLifetimeMillis) {
        if (ratePerSecond < MIN_RATE || closes == 0) {
            return false; // nothing closed yet holds no port after it: a pool filling up at startup
        }
        return byBudget(ratePerSecond, holdSeconds, budget)
                || ratePerSecond >= minRate && medianLifetimeMillis < maxMedianLifetimeMillis;
    }

    /**
     * The budget test alone, the one the kernel can make without the agent (the doctor's, from the
     * rate of connections closed first): at least one a second, each holding its port for the hold
     * time, would occupy {@code churn.budget} of the budget. False when the budget or the hold
     * time is unknown.
     */
    public boolean byBudget(double ratePerSecond, double holdSeconds, long budget) {
        return ratePerSecond >= MIN_RATE && budget > 0 && holdSeconds >= 0
                && ratePerSecond * holdSeconds >= budgetShare * budget;
    }

    /**
     * Whether a rate reaches {@code churn.rate}, where the lifetime test (and the piling-up test)
     * would look: connections that new, that often, churn when they live under
     * {@code churn.lifetime} or stay open, which only the agent can tell.
     */
    public boolean atChurnRate(double ratePerSecond) {
        return ratePerSecond >= Math.max(MIN_RATE, minRate);
    }

    /** {@code churn.budget} as a fraction. */
    public double budgetShare() {
        return budgetShare;
    }

    /**
     * Whether new connections pile up open: a sustained rate of connects while the open count
     * keeps growing (see the class comment).
     *
     * @param ratePerSecond     the site's connects per second over the last {@value #WINDOW_SECONDS} s
     * @param connects          its connects in that window
     * @param openGrowth        how many more of its connections are open now than when the window began
     * @param busiestTwoSeconds the most connects any two consecutive seconds of the window held
     */
    public boolean pilingUpOpen(double ratePerSecond, long connects, long openGrowth, long busiestTwoSeconds) {
        if (ratePerSecond < Math.max(MIN_RATE, minRate) || connects <= 0) {
            return false;
        }
        boolean mostlyOpen = openGrowth > MOSTLY_OPEN * connects;
        // a steady rate over T seconds puts 2/T of its connects in any two consecutive seconds
        boolean sustained = busiestTwoSeconds * SUSTAINED_SECONDS <= 2 * connects;
        return mostlyOpen && sustained;
    }

    /** The site's verdict: piling up open first (it says what the connections do now), then closed quickly. */
    public static Churn of(boolean closedQuickly, boolean pilingUpOpen) {
        return pilingUpOpen ? Churn.PILING_UP_OPEN : closedQuickly ? Churn.CLOSED_QUICKLY : Churn.NONE;
    }
}
