package io.ephemera.track;

import java.net.InetAddress;

/** A remote endpoint this JVM connects to, interned: one instance per address and port. */
public final class Destination {

    private final InetAddress address;
    private final int port;
    private final String key;
    private final Stats stats;

    Destination(InetAddress address, int port, String key, Clock clock) {
        this.address = address;
        this.port = port;
        this.key = key;
        this.stats = new Stats(clock);
    }

    /** The remote address; null for the overflow row. */
    public InetAddress address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:8080}, {@code [::1]:8080}, or {@code (other)}. */
    public String key() {
        return key;
    }

    public Stats stats() {
        return stats;
    }

    @Override
    public String toString() {
        return key;
    }
}
