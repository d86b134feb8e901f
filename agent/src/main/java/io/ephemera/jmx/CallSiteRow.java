package io.ephemera.jmx;

import javax.management.ConstructorParameters;

/** One call site, as the MXBean shows it (a composite: each getter is an item). */
public final class CallSiteRow {

    private final String site;
    private final String stack;
    private final long connects;
    private final long accepts;
    private final long failures;
    private final String failuresByCause;
    private final long open;
    private final long closes;
    private final long leaked;
    private final double medianLifetimeMillis;
    private final double p99LifetimeMillis;
    private final double connectRatePerSecond;
    private final double connectRatePerSecondLastMinute;
    private final String destinations;
    private final long ownedTimeWait;
    private final long closeWait;
    private final boolean churning;
    private final boolean bindsFirst;
    private final double acceptRatePerSecond;

    @ConstructorParameters({"site", "stack", "connects", "accepts", "failures", "failuresByCause", "open", "closes", "leaked",
        "medianLifetimeMillis", "p99LifetimeMillis", "connectRatePerSecond", "connectRatePerSecondLastMinute",
        "destinations", "ownedTimeWait", "closeWait", "churning", "bindsFirst", "acceptRatePerSecond"})
    public CallSiteRow(String site, String stack, long connects, long accepts, long failures, String failuresByCause, long open, long closes,
                       long leaked, double medianLifetimeMillis, double p99LifetimeMillis,
                       double connectRatePerSecond, double connectRatePerSecondLastMinute, String destinations,
                       long ownedTimeWait, long closeWait, boolean churning, boolean bindsFirst,
                       double acceptRatePerSecond) {
        this.site = site;
        this.stack = stack;
        this.connects = connects;
        this.accepts = accepts;
        this.failures = failures;
        this.failuresByCause = failuresByCause;
        this.open = open;
        this.closes = closes;
        this.leaked = leaked;
        this.medianLifetimeMillis = medianLifetimeMillis;
        this.p99LifetimeMillis = p99LifetimeMillis;
        this.connectRatePerSecond = connectRatePerSecond;
        this.connectRatePerSecondLastMinute = connectRatePerSecondLastMinute;
        this.destinations = destinations;
        this.ownedTimeWait = ownedTimeWait;
        this.closeWait = closeWait;
        this.churning = churning;
        this.bindsFirst = bindsFirst;
        this.acceptRatePerSecond = acceptRatePerSecond;
    }

    /** The label: the first application frame, {@code com.acme.Billing.charge(Billing.java:42)}. */
    public String getSite() {
        return site;
    }

    /** The identifying frames, one a line. */
    public String getStack() {
        return stack;
    }

    /** Successful outbound connects from here (count). */
    public long getConnects() {
        return connects;
    }

    /** Inbound connections accepted here (count). */
    public long getAccepts() {
        return accepts;
    }

    /** Failed connects from here (count). */
    public long getFailures() {
        return failures;
    }

    /** Failed connects by cause, {@code refused=2,timedOut=1} (causes: refused, timedOut, unreachable, addressNotAvailable, addressInUse, other). */
    public String getFailuresByCause() {
        return failuresByCause;
    }

    /** Connections from here open now (count). */
    public long getOpen() {
        return open;
    }

    /** Connections from here that ended (count). */
    public long getCloses() {
        return closes;
    }

    /** Connections from here that became unreachable without close() (count). */
    public long getLeaked() {
        return leaked;
    }

    /** Median lifetime of the connections from here that ended (milliseconds; 0 before any ended). */
    public double getMedianLifetimeMillis() {
        return medianLifetimeMillis;
    }

    /** 99th percentile lifetime of the connections from here that ended (milliseconds). */
    public double getP99LifetimeMillis() {
        return p99LifetimeMillis;
    }

    /**
     * Connects (and accepts) per second from here over the last 10 seconds; a site that only accepts
     * has its accept rate here too (the name predates {@link #getAcceptRatePerSecond}, and stays).
     */
    public double getConnectRatePerSecond() {
        return connectRatePerSecond;
    }

    /** Connects (and accepts) per second from here over the last minute. */
    public double getConnectRatePerSecondLastMinute() {
        return connectRatePerSecondLastMinute;
    }

    /** Destinations reached from here, comma-separated; {@code ...} at the end when there were more. */
    public String getDestinations() {
        return destinations;
    }

    /** TIME_WAIT sockets left by connections from here that this side closed first (count, last census); -1 unknown. */
    public long getOwnedTimeWait() {
        return ownedTimeWait;
    }

    /** Connections from here in CLOSE_WAIT: the peer closed, the application did not (count, last census); -1 unknown. */
    public long getCloseWait() {
        return closeWait;
    }

    /**
     * Whether this site churns: its connects would hold at least {@code churn.budget} of a
     * destination's port budget, or it connects at {@code churn.rate} or more with a median
     * lifetime under {@code churn.lifetime}, or its new connections pile up open (over the last
     * 10 s, {@code churn.rate} or more, most still open, sustained for 3 s or more: a new client
     * per request). When the budget or the hold time is unknown ({@code CensusPartial}) only the
     * first test is not made.
     */
    public boolean isChurning() {
        return churning;
    }

    /**
     * Whether this site binds its sockets before connecting: its ports come from the host-wide
     * pool, shared with every destination, and exhaustion shows as "Address already in use".
     */
    public boolean isBindsFirst() {
        return bindsFirst;
    }

    /**
     * Accepts alone per second here over the last 10 seconds: the rate of a site that accepts
     * connections (a server's accept loop), 0 for one that only connects.
     */
    public double getAcceptRatePerSecond() {
        return acceptRatePerSecond;
    }
}
