package io.ephemera.analysis;

/**
 * The ports a plain {@code connect()} toward one (source IP, destination IP, destination port) can
 * use, and what is left of them. The kernel needs each connection's 4-tuple to be unique, so every
 * destination has a budget of its own: the ports of {@code ip_local_port_range}, less
 * {@code ip_local_reserved_ports}, less the ports held by sockets that were {@code bind()}-ed
 * (listeners and bind-before-connect clients hold their port for every destination).
 *
 * <p>What the kernel did not give is {@link #UNKNOWN}, never 0 or a default: an unknown budget
 * (the range or the reserved ports unread, or no socket table), ports in use (no socket table, or
 * no range to tell an ephemeral port), or hold time ({@link HoldTime#UNKNOWN}). A figure that
 * needs an unknown one is unknown too: {@link #headroomPercent()} and
 * {@link #secondsToExhaustion()} are then NaN, and {@link #onCourseToExhaustion()} false with
 * {@link #forecastKnown()} false.
 *
 * @param budget     usable ports toward this destination, or {@link #UNKNOWN}
 * @param inUse      ephemeral ports already used toward it, by any process, in any state, or {@link #UNKNOWN}
 * @param holdSeconds how long a port closed by this side stays unusable, or {@link HoldTime#UNKNOWN}
 * <p>The forecast reads two figures of its own. The kernel's {@code inUse} is as old as the last
 * census pass; the connects this JVM made toward the destination since then hold ports too
 * ({@code heldSinceCensus}). And the rate it runs at is over the time actually observed
 * ({@code forecastRatePerSecond}): four seconds into a steady ramp the 10-second rate reads 40% of
 * it, and a forecast from it comes late, the dangerous way.
 *
 * @param ratePerSecond recent connects per second toward it (the last 10 seconds)
 * @param open       connections to it open now in this JVM
 * @param heldSinceCensus ports taken by this JVM's connects toward it since the last census pass
 * @param forecastRatePerSecond connects per second toward it over the last 10 seconds or, when
 *                   less was observed, over the time observed
 */
public record PortBudget(long budget, long inUse, double holdSeconds, double ratePerSecond, long open,
                         long heldSinceCensus, double forecastRatePerSecond) {

    /** A count the kernel did not give. */
    public static final long UNKNOWN = -1;

    /** A budget whose forecast reads the 10-second rate and nothing since the census. */
    public PortBudget(long budget, long inUse, double holdSeconds, double ratePerSecond, long open) {
        this(budget, inUse, holdSeconds, ratePerSecond, open, 0, ratePerSecond);
    }

    /** Usable ports for a range and what is taken out of it, never negative. */
    public static long usable(int rangeLow, int rangeHigh, int reservedInRange, int boundInRange) {
        long size = (long) rangeHigh - rangeLow + 1;
        return Math.max(0, size - reservedInRange - boundInRange);
    }

    public boolean budgetKnown() {
        return budget >= 0;
    }

    public boolean inUseKnown() {
        return inUse >= 0;
    }

    public boolean holdKnown() {
        return HoldTime.known(holdSeconds);
    }

    /** Whether the budget, the ports in use and the hold time are all known: what a forecast needs. */
    public boolean forecastKnown() {
        return budgetKnown() && inUseKnown() && holdKnown();
    }

    /** Ports left now; {@link #UNKNOWN} without a budget or ports in use. */
    public long free() {
        return budgetKnown() && inUseKnown() ? Math.max(0, budget - inUse) : UNKNOWN;
    }

    /** 100 × (budget − in use) / budget; 0 when the budget is 0; NaN when either is unknown. */
    public double headroomPercent() {
        if (!budgetKnown() || !inUseKnown()) {
            return Double.NaN;
        }
        return budget == 0 ? 0.0 : 100.0 * (budget - Math.min(inUse, budget)) / budget;
    }

    /**
     * Ports this destination will hold at the current rate (the forecast's): each connect holds a
     * port for the hold time after it closes, and open connections hold theirs. NaN when the hold
     * time is unknown.
     */
    public double projectedOccupancy() {
        return holdKnown() ? forecastRatePerSecond * holdSeconds + open : Double.NaN;
    }

    /** Whether the current rate, held, reaches the budget; false when that cannot be told. */
    public boolean onCourseToExhaustion() {
        return forecastKnown() && budget > 0 && forecastRatePerSecond > 0 && projectedOccupancy() >= budget;
    }

    /**
     * Seconds until no port is left at the current rate: the ports free at the last census, less
     * those this JVM's connects took since, over the forecast's rate. Ports that TIME_WAIT gives
     * back meanwhile are not counted: on course to exhaustion, the rate fills the budget within one
     * hold time. -1 when not on course to exhaustion; NaN when the forecast is unknown.
     */
    public double secondsToExhaustion() {
        if (!forecastKnown()) {
            return Double.NaN;
        }
        if (!onCourseToExhaustion()) {
            return -1;
        }
        return Math.max(0, free() - heldSinceCensus) / forecastRatePerSecond;
    }
}
