package io.ephemera.track;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A remote address that connects to one of this JVM's listening ports (a proxy, a load balancer,
 * a client), interned per address and local port, with how its connections ended. Who closes
 * first decides where TIME_WAIT stays: closed here, on this host's service port; closed by the
 * peer with a FIN, on the peer's ephemeral ports toward this backend; reset, nowhere.
 */
public final class Peer {

    /** How a connection ended, as the application saw it. */
    public enum Ending {
        /** The application closed first: the TIME_WAIT stays on this side. */
        CLOSED_HERE,
        /** A read returned end of stream before the close: the peer closed first, with a FIN. */
        CLOSED_BY_PEER,
        /** A read failed with a reset before the close: the peer aborted the connection. */
        RESET_BY_PEER
    }

    private static final int ACCEPTS = 0;
    private static final int OPEN = 1;
    private static final int ENDINGS = 2;

    private final InetAddress address;
    private final int localPort;
    private final String key;
    private final AtomicLongArray counts = new AtomicLongArray(ENDINGS + Ending.values().length);
    private final RateWindow accepts = new RateWindow();
    private final LifetimeHistogram lifetimes = new LifetimeHistogram();
    private final Clock clock;

    Peer(InetAddress address, int localPort, String key, Clock clock) {
        this.address = address;
        this.localPort = localPort;
        this.key = key;
        this.clock = clock;
    }

    void accepted(long nowNanos, boolean followed) {
        counts.incrementAndGet(ACCEPTS);
        if (followed) {
            counts.incrementAndGet(OPEN);
        }
        accepts.record(clock.second(nowNanos));
    }

    void ended(Ending how, long lifetimeNanos) {
        counts.decrementAndGet(OPEN);
        counts.incrementAndGet(ENDINGS + how.ordinal());
        lifetimes.record(lifetimeNanos / 1_000L);
    }

    /** The peer's address; null for the overflow row. */
    public InetAddress address() {
        return address;
    }

    /** The peer's address as reports write it ({@code 10.0.0.5}, {@code ::1}), or {@code (other)}. */
    public String host() {
        return address == null ? key : Addresses.host(address);
    }

    /** This JVM's port the peer connects to. */
    public int localPort() {
        return localPort;
    }

    /** {@code 127.0.0.1 -> :8080}, or {@code (other)}. */
    public String key() {
        return key;
    }

    public long accepts() {
        return counts.get(ACCEPTS);
    }

    public long open() {
        return counts.get(OPEN);
    }

    public long ended(Ending how) {
        return counts.get(ENDINGS + how.ordinal());
    }

    /** Connections that ended, however they ended. */
    public long ends() {
        long sum = 0;
        for (Ending e : Ending.values()) {
            sum += ended(e);
        }
        return sum;
    }

    /** Accepts per second over the last {@code seconds} (10 or 60). */
    public double acceptRatePerSecond(int seconds) {
        return accepts.perSecond(seconds, clock.nanoTime(), clock.startNanos());
    }

    /** Median lifetime of its connections that ended, in milliseconds; 0 before any ended. */
    public double medianLifetimeMillis() {
        return lifetimes.quantileMillis(0.5);
    }

    @Override
    public String toString() {
        return key;
    }
}
