package io.ephemera.analysis;

/**
 * The ports a plain {@code connect()} toward one (source IP, destination IP, destination port) can
 * use, and what is left of them. The kernel needs each connection's 4-tuple to be unique, so every
 * destination has a budget of its own: the ports of {@code ip_local_port_range}, less
 * {@code ip_local_reserved_ports}, less the ports held by sockets that were {@code bind()}-ed
 * (listeners and bind-before-connect clients hold their port for every destination).
 *
 * @param budget     usable ports toward this destination
 * @param inUse      ephemeral ports already used toward it, by any process, in any state
 * @param holdSeconds how long a port closed by this side stays unusable
 * @param ratePerSecond recent connects per second toward it (the last 10 seconds)
 * @param open       connections to it open now in this JVM
 */
public record PortBudget(long budget, long inUse, double holdSeconds, double ratePerSecond, long open) {

    /** Usable ports for a range and what is taken out of it, never negative. */
    public static long usable(int rangeLow, int rangeHigh, int reservedInRange, int boundInRange) {
        long size = (long) rangeHigh - rangeLow + 1;
        return Math.max(0, size - reservedInRange - boundInRange);
    }

    /** Ports left now. */
    public long free() {
        return Math.max(0, budget - inUse);
    }

    /** 100 × (budget − in use) / budget; 0 when there is no budget. */
    public double headroomPercent() {
        return budget <= 0 ? 0.0 : 100.0 * (budget - Math.min(inUse, budget)) / budget;
    }

    /**
     * Ports this destination will hold at the current rate: each connect holds a port for the hold
     * time after it closes, and open connections hold theirs.
     */
    public double projectedOccupancy() {
        return ratePerSecond * holdSeconds + open;
    }

    /** Whether the current rate, held, reaches the budget. */
    public boolean onCourseToExhaustion() {
        return budget > 0 && ratePerSecond > 0 && projectedOccupancy() >= budget;
    }

    /** Seconds until no port is left at the recent rate; -1 when not on course to exhaustion. */
    public double secondsToExhaustion() {
        if (!onCourseToExhaustion()) {
            return -1;
        }
        return free() / ratePerSecond;
    }
}
