package io.ephemera.track;

import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A place in the application's code that opens connections: identified by its depth-limited
 * stack, labelled with its first application frame. Interned: one instance per stack.
 */
public final class CallSite {

    /** Destinations listed per site; more are counted, not named. */
    static final int MAX_DESTINATIONS = 8;

    private final long hash;
    private final String key;
    private final String label;
    private final String stack;
    private final boolean application;
    private final Stats stats;
    /** Where a library connected for this site on a thread of its own; null until it first did. */
    private volatile String connectedOn;
    private final AtomicReference<Object[]> destinations = new AtomicReference<>(new Object[0]);
    private volatile long unlistedDestinations;
    private volatile boolean bindsFirst;

    CallSite(long hash, String key, String label, String stack, boolean application, Clock clock) {
        this.hash = hash;
        this.key = key;
        this.label = label;
        this.stack = stack;
        this.application = application;
        this.stats = new Stats(clock);
    }

    long hash() {
        return hash;
    }

    /** The label, made unique: a second stack with the same label gets {@code " #2"}, and so on. */
    public String key() {
        return key;
    }

    /** The first application frame, like a stack trace element: {@code com.acme.Billing.charge(Billing.java:42)}. */
    public String label() {
        return label;
    }

    /**
     * The identifying frames, one a line; when a library connected for this site on a thread of
     * its own, followed by {@code --- connected on thread NAME ---} and that thread's frames.
     */
    public String stack() {
        String on = connectedOn;
        return on == null ? stack : stack + on;
    }

    /** Whether the identifying frames reach the application's code (not only the JDK's and libraries'). */
    boolean application() {
        return application;
    }

    boolean hasConnectedOn() {
        return connectedOn != null;
    }

    void connectedOn(String frames) {
        if (connectedOn == null) {
            connectedOn = frames; // the first library thread's stack is kept; a race keeps either
        }
    }

    /**
     * Whether this site binds its sockets to a local address before connecting: its ports then
     * come from the host-wide pool, and exhaustion shows as {@code Address already in use}.
     */
    public boolean bindsFirst() {
        return bindsFirst;
    }

    void markBindsFirst() {
        if (!bindsFirst) {
            bindsFirst = true;
        }
    }

    public Stats stats() {
        return stats;
    }

    /** Notes that this site reached {@code d}; allocation-free once {@code d} is known here. */
    void reached(Object d) {
        Object[] current = destinations.get();
        for (Object o : current) {
            if (o == d) {
                return;
            }
        }
        if (current.length >= MAX_DESTINATIONS) {
            unlistedDestinations = 1; // a flag: the list is incomplete; the race is benign
            return;
        }
        Object[] next = new Object[current.length + 1];
        System.arraycopy(current, 0, next, 0, current.length);
        next[current.length] = d;
        if (!destinations.compareAndSet(current, next)) {
            reached(d);
        }
    }

    /** The destinations this site reached (at most {@value #MAX_DESTINATIONS}). */
    public java.util.List<Destination> destinationList() {
        java.util.List<Destination> out = new java.util.ArrayList<>();
        for (Object o : destinations.get()) {
            out.add((Destination) o);
        }
        return out;
    }

    /** The destinations this site reached, comma-separated, {@code ,...} when there were more. */
    public String destinations() {
        StringJoiner j = new StringJoiner(",");
        for (Object o : destinations.get()) {
            j.add(o.toString());
        }
        if (unlistedDestinations != 0) {
            j.add("...");
        }
        return j.toString();
    }

    @Override
    public String toString() {
        return key;
    }
}
