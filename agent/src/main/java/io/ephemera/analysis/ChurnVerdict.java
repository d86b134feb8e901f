package io.ephemera.analysis;

/**
 * Whether a call site churns: opens connections fast enough, and closes them soon enough, that
 * the ports it leaves held matter.
 *
 * <p>A site churns when either holds:
 * <ul>
 *   <li>its connects, each holding a port for the hold time, would occupy at least
 *       {@code churn.budget} of a destination's port budget: {@code rate × hold ≥ share × budget};</li>
 *   <li>it connects at {@code churn.rate} or more and its connections' median lifetime is under
 *       {@code churn.lifetime}: a new connection per request, whatever the sysctls hide.</li>
 * </ul>
 * Both need connections that ended and at least one connect a second. A pooled keep-alive client
 * opens few connections and keeps them: neither holds, at any request rate.
 *
 * <p>The first test needs the budget and the hold time from the kernel; when either is unknown it
 * is not made, and the second, which needs only what the agent counted, still is.
 */
public final class ChurnVerdict {

    /** Below one connect a second nothing churns, whatever a tiny port range says. */
    public static final double MIN_RATE = 1.0;

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
        if (budget > 0 && holdSeconds >= 0 && ratePerSecond * holdSeconds >= budgetShare * budget) {
            return true;
        }
        return ratePerSecond >= minRate && closes > 0 && medianLifetimeMillis < maxMedianLifetimeMillis;
    }
}
