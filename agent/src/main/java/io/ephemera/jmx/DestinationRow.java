package io.ephemera.jmx;

import javax.management.ConstructorParameters;

/** One outbound destination, as the MXBean shows it (a composite: each getter is an item). */
public final class DestinationRow {

    private final String destination;
    private final long connects;
    private final long failures;
    private final String failuresByCause;
    private final long addressNotAvailable;
    private final long open;
    private final long closes;
    private final double connectRatePerSecond;
    private final double connectRatePerSecondLastMinute;
    private final double medianLifetimeMillis;
    private final long timeWait;
    private final long ownedTimeWait;
    private final long portsInUse;
    private final long portBudget;
    private final double headroomPercent;
    private final double holdSeconds;
    private final double secondsToExhaustion;
    private final long unseen;

    @ConstructorParameters({"destination", "connects", "failures", "failuresByCause", "addressNotAvailable", "open", "closes",
        "connectRatePerSecond", "connectRatePerSecondLastMinute", "medianLifetimeMillis", "timeWait", "ownedTimeWait",
        "portsInUse", "portBudget", "headroomPercent", "holdSeconds", "secondsToExhaustion", "unseen"})
    public DestinationRow(String destination, long connects, long failures, String failuresByCause, long addressNotAvailable, long open,
                          long closes, double connectRatePerSecond, double connectRatePerSecondLastMinute,
                          double medianLifetimeMillis, long timeWait, long ownedTimeWait, long portsInUse,
                          long portBudget, double headroomPercent, double holdSeconds, double secondsToExhaustion,
                          long unseen) {
        this.destination = destination;
        this.connects = connects;
        this.failures = failures;
        this.failuresByCause = failuresByCause;
        this.addressNotAvailable = addressNotAvailable;
        this.open = open;
        this.closes = closes;
        this.connectRatePerSecond = connectRatePerSecond;
        this.connectRatePerSecondLastMinute = connectRatePerSecondLastMinute;
        this.medianLifetimeMillis = medianLifetimeMillis;
        this.timeWait = timeWait;
        this.ownedTimeWait = ownedTimeWait;
        this.portsInUse = portsInUse;
        this.portBudget = portBudget;
        this.headroomPercent = headroomPercent;
        this.holdSeconds = holdSeconds;
        this.secondsToExhaustion = secondsToExhaustion;
        this.unseen = unseen;
    }

    /** {@code 127.0.0.1:8080}, {@code [::1]:8080}, or {@code (other)}. */
    public String getDestination() {
        return destination;
    }

    /** Successful connects to it (count). */
    public long getConnects() {
        return connects;
    }

    /** Failed connects to it (count). */
    public long getFailures() {
        return failures;
    }

    /** Failed connects by cause, {@code refused=2,timedOut=1} (causes: refused, timedOut, unreachable, addressNotAvailable, addressInUse, other). */
    public String getFailuresByCause() {
        return failuresByCause;
    }

    /** Connects to it that failed with EADDRNOTAVAIL: its port budget ran out (count). */
    public long getAddressNotAvailable() {
        return addressNotAvailable;
    }

    /** Connections to it open now (count). */
    public long getOpen() {
        return open;
    }

    /** Connections to it that ended (count). */
    public long getCloses() {
        return closes;
    }

    /** Connects to it per second over the last 10 seconds. */
    public double getConnectRatePerSecond() {
        return connectRatePerSecond;
    }

    /** Connects to it per second over the last minute. */
    public double getConnectRatePerSecondLastMinute() {
        return connectRatePerSecondLastMinute;
    }

    /** Median lifetime of its connections that ended (milliseconds). */
    public double getMedianLifetimeMillis() {
        return medianLifetimeMillis;
    }

    /** TIME_WAIT sockets toward it, any process (count, last census); -1 unknown (no socket tables or no port range). */
    public long getTimeWait() {
        return timeWait;
    }

    /** TIME_WAIT sockets toward it left by this JVM (count, last census); -1 unknown (no socket tables). */
    public long getOwnedTimeWait() {
        return ownedTimeWait;
    }

    /**
     * Ephemeral ports in use toward it, any process, any state (count, last census); -1 unknown
     * (no socket tables, or no port range to tell an ephemeral port).
     */
    public long getPortsInUse() {
        return portsInUse;
    }

    /** Ports a connect toward it can use (count): see {@code EphemeralPortBudget}; -1 unknown. */
    public long getPortBudget() {
        return portBudget;
    }

    /** 100 × (budget − in use) / budget (percent); NaN unknown (the budget or the ports in use are). */
    public double getHeadroomPercent() {
        return headroomPercent;
    }

    /**
     * How long a port this side closed stays unusable for a new connect to it (seconds): 60 of
     * TIME_WAIT, or {@code tcp_tw_reuse_delay} where {@code tcp_tw_reuse} applies and timestamps are on;
     * NaN unknown (a sysctl the answer depends on could not be read).
     */
    public double getHoldSeconds() {
        return holdSeconds;
    }

    /**
     * Seconds until no port is left toward it, when rate × hold + open reaches the budget: the ports
     * free at the last census, less those this JVM's connects took toward it since, over the connect
     * rate of the last 10 seconds (or of the time observed, when less: since the agent started or
     * the destination was first seen); -1 otherwise; NaN when that cannot be told (the budget, the
     * ports in use or the hold time is unknown).
     */
    public double getSecondsToExhaustion() {
        return secondsToExhaustion;
    }

    /**
     * Connections to it that no hook saw, at the last census (count): TCP sockets this JVM holds
     * toward it with no connection the agent recorded, through a transport it does not hook.
     */
    public long getUnseen() {
        return unseen;
    }
}
