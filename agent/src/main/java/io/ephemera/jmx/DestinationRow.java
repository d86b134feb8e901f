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

    @ConstructorParameters({"destination", "connects", "failures", "failuresByCause", "addressNotAvailable", "open", "closes",
        "connectRatePerSecond", "connectRatePerSecondLastMinute", "medianLifetimeMillis"})
    public DestinationRow(String destination, long connects, long failures, String failuresByCause, long addressNotAvailable, long open,
                          long closes, double connectRatePerSecond, double connectRatePerSecondLastMinute,
                          double medianLifetimeMillis) {
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
}
