package io.ephemera.track;

import java.net.InetAddress;
import java.util.List;

/**
 * Interns inbound peers by remote address and local port, up to {@code destinations.max}; the
 * rest share one row. The remote port is left out on purpose: a peer draws a new one for every
 * connection, and that churn is what the row is for.
 */
final class Peers {

    static final String OTHER_KEY = "(other)";

    private final Table table;
    private final Peer other;
    private final Clock clock;

    Peers(int max, Clock clock) {
        this.table = new Table(max);
        this.clock = clock;
        this.other = new Peer(null, 0, OTHER_KEY, clock);
    }

    Peer intern(InetAddress address, int localPort) {
        int hash = address.hashCode() * 31 + localPort;
        Peer p = table.find(hash, address, localPort);
        if (p != null) {
            return p;
        }
        if (table.full()) {
            return other;
        }
        p = table.insert(hash, address, localPort, new Peer(address, localPort, key(address, localPort), clock));
        return p != null ? p : other;
    }

    static String key(InetAddress address, int localPort) {
        return Addresses.host(address) + " -> :" + localPort;
    }

    List<Peer> all() {
        List<Peer> all = table.entries();
        if (other.accepts() > 0) {
            all.add(other);
        }
        return all;
    }

    private static final class Table extends InternTable<Peer> {
        Table(int max) {
            super(max);
        }

        @Override
        boolean matches(Peer p, Object address, long localPort) {
            return p.localPort() == localPort && p.address().equals(address);
        }
    }
}
