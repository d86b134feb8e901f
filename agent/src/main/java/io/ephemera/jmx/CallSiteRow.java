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

    @ConstructorParameters({"site", "stack", "connects", "accepts", "failures", "failuresByCause", "open", "closes", "leaked",
        "medianLifetimeMillis", "p99LifetimeMillis", "connectRatePerSecond", "connectRatePerSecondLastMinute",
        "destinations"})
    public CallSiteRow(String site, String stack, long connects, long accepts, long failures, String failuresByCause, long open, long closes,
                       long leaked, double medianLifetimeMillis, double p99LifetimeMillis,
                       double connectRatePerSecond, double connectRatePerSecondLastMinute, String destinations) {
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

    /** Connects (and accepts) per second from here over the last 10 seconds. */
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
}
