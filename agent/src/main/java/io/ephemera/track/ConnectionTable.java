package io.ephemera.track;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections followed now, found by their owner's identity. Striped: each stripe is a small
 * hash table behind its own lock, held only for a few field writes, never across I/O, so threads
 * opening and closing sockets rarely meet. Bounded by {@code connections.max}.
 */
final class ConnectionTable {

    private static final int STRIPES = 64;

    private final Stripe[] stripes = new Stripe[STRIPES];
    private final AtomicInteger size = new AtomicInteger();
    private final int max;

    ConnectionTable(int max) {
        this.max = max;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    static int hash(Object owner) {
        int h = System.identityHashCode(owner);
        return h ^ (h >>> 16);
    }

    /** Adds {@code c} unless its owner is already present (returns false) or the table is full. */
    boolean add(Connection c, Object owner) {
        if (size.incrementAndGet() > max) {
            size.decrementAndGet();
            return false;
        }
        Stripe s = stripes[c.hash & (STRIPES - 1)];
        synchronized (s) {
            if (s.find(owner, c.hash) != null) {
                size.decrementAndGet();
                return false;
            }
            s.add(c);
        }
        return true;
    }

    Connection find(Object owner) {
        int h = hash(owner);
        Stripe s = stripes[h & (STRIPES - 1)];
        synchronized (s) {
            return s.find(owner, h);
        }
    }

    /** Removes and returns the connection of {@code owner}, or null. */
    Connection remove(Object owner) {
        int h = hash(owner);
        Stripe s = stripes[h & (STRIPES - 1)];
        Connection c;
        synchronized (s) {
            c = s.remove(owner, null, h);
        }
        if (c != null) {
            size.decrementAndGet();
        }
        return c;
    }

    /** Removes {@code c} itself (its owner is gone); returns whether it was present. */
    boolean remove(Connection c) {
        Stripe s = stripes[c.hash & (STRIPES - 1)];
        Connection removed;
        synchronized (s) {
            removed = s.remove(null, c, c.hash);
        }
        if (removed != null) {
            size.decrementAndGet();
        }
        return removed != null;
    }

    int size() {
        return size.get();
    }

    /** A copy of the connections present now; each stripe is locked only while it is copied. */
    List<Connection> snapshot() {
        List<Connection> out = new ArrayList<>(size.get() + 16);
        for (Stripe s : stripes) {
            synchronized (s) {
                s.copyTo(out);
            }
        }
        return out;
    }

    /** A chained hash table; every method is called with the stripe locked. */
    private static final class Stripe {
        Connection[] buckets = new Connection[16];
        int count;

        Connection find(Object owner, int h) {
            for (Connection c = buckets[index(h, buckets.length)]; c != null; c = c.next) {
                if (c.hash == h && c.refersTo(owner)) {
                    return c;
                }
            }
            return null;
        }

        void add(Connection c) {
            if (count >= buckets.length) {
                grow();
            }
            int i = index(c.hash, buckets.length);
            c.next = buckets[i];
            buckets[i] = c;
            count++;
        }

        /** Removes the connection of {@code owner}, or {@code target} itself when owner is null. */
        Connection remove(Object owner, Connection target, int h) {
            int i = index(h, buckets.length);
            Connection prev = null;
            for (Connection c = buckets[i]; c != null; prev = c, c = c.next) {
                boolean hit = target != null ? c == target : (c.hash == h && c.refersTo(owner));
                if (hit) {
                    if (prev == null) {
                        buckets[i] = c.next;
                    } else {
                        prev.next = c.next;
                    }
                    c.next = null;
                    count--;
                    return c;
                }
            }
            return null;
        }

        void copyTo(List<Connection> out) {
            for (Connection head : buckets) {
                for (Connection c = head; c != null; c = c.next) {
                    out.add(c);
                }
            }
        }

        private void grow() {
            Connection[] old = buckets;
            buckets = new Connection[old.length * 2];
            for (Connection head : old) {
                Connection c = head;
                while (c != null) {
                    Connection next = c.next;
                    int i = index(c.hash, buckets.length);
                    c.next = buckets[i];
                    buckets[i] = c;
                    c = next;
                }
            }
        }

        private static int index(int h, int length) {
            return (h >>> 6) & (length - 1);
        }
    }
}
