package io.ephemera.track;

import java.net.InetAddress;
import java.util.List;

/** Interns destinations by address and port, up to {@code destinations.max}; the rest share one row. */
final class Destinations {

    static final String OTHER_KEY = "(other)";

    private final Table table;
    private final Destination other;
    private final Clock clock;

    Destinations(int max, Clock clock) {
        this.table = new Table(max);
        this.clock = clock;
        this.other = new Destination(null, 0, OTHER_KEY, clock);
    }

    /** The destination of {@code address:port}; {@code ::ffff:a.b.c.d} is {@code a.b.c.d}, one row with one key. */
    Destination intern(InetAddress destination, int port) {
        InetAddress address = Addresses.unmapped(destination);
        int hash = address.hashCode() * 31 + port;
        Destination d = table.find(hash, address, port);
        if (d != null) {
            return d;
        }
        if (table.full()) {
            return other;
        }
        d = table.insert(hash, address, port, new Destination(address, port, Addresses.endpoint(address, port), clock));
        return d != null ? d : other;
    }

    List<Destination> all() {
        List<Destination> all = table.entries();
        if (other.stats().connects() + other.stats().failures() > 0) {
            all.add(other);
        }
        return all;
    }

    private static final class Table extends InternTable<Destination> {
        Table(int max) {
            super(max);
        }

        @Override
        boolean matches(Destination d, Object address, long port) {
            return d.port() == port && d.address().equals(address);
        }
    }
}
