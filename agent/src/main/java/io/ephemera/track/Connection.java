package io.ephemera.track;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One TCP connection the agent follows, from connect or accept to close. It is a phantom
 * reference to the socket or channel that owns it, so a connection whose owner becomes
 * unreachable without {@code close()} is noticed (a leak) without the agent keeping it alive.
 */
public final class Connection extends PhantomReference<Object> {

    static final int PENDING = 0;
    static final int OPEN = 1;
    static final int CLOSED = 2;

    private static final AtomicIntegerFieldUpdater<Connection> STATE =
            AtomicIntegerFieldUpdater.newUpdater(Connection.class, "state");

    final int hash;
    /** Set before the connection is published (an accept's once its local port is read). */
    CallSite site;
    final Destination destination;
    final boolean inbound;
    final int api;
    final InetAddress remoteAddress;
    final int remotePort;
    final String thread;
    volatile InetAddress localAddress;
    volatile int localPort;
    volatile long openNanos;
    volatile long openEpochMillis;
    volatile long closeNanos;
    private volatile int state;
    /** The peer of an inbound connection; set before the connection is published, null for an outbound one. */
    Peer peer;
    /** How the peer ended it, seen by a read before the close: null while the peer has not. */
    volatile Peer.Ending peerEnding;
    /** Next in the table's bucket; guarded by the bucket's stripe. */
    Connection next;

    Connection(Object owner, ReferenceQueue<Object> queue, int hash, CallSite site, Destination destination,
               boolean inbound, int api, InetAddress remoteAddress, int remotePort, int state) {
        super(owner, queue);
        this.hash = hash;
        this.site = site;
        this.destination = destination;
        this.inbound = inbound;
        this.api = api;
        this.remoteAddress = remoteAddress;
        this.remotePort = remotePort;
        this.thread = Thread.currentThread().getName();
        this.state = state;
    }

    boolean transition(int from, int to) {
        return STATE.compareAndSet(this, from, to);
    }

    /** Marks the connection closed; returns the state it was in. */
    int end() {
        return STATE.getAndSet(this, CLOSED);
    }

    int state() {
        return state;
    }

    public CallSite site() {
        return site;
    }

    /** The destination of an outbound connection; null for an inbound one. */
    public Destination destination() {
        return destination;
    }

    /** The peer of an inbound connection; null for an outbound one. */
    public Peer peer() {
        return peer;
    }

    public boolean inbound() {
        return inbound;
    }

    public InetAddress remoteAddress() {
        return remoteAddress;
    }

    public int remotePort() {
        return remotePort;
    }

    public InetAddress localAddress() {
        return localAddress;
    }

    public int localPort() {
        return localPort;
    }

    /** When it ended, {@link System#nanoTime()}; 0 while open. */
    public long closeNanos() {
        return closeNanos;
    }

    /** When it opened, {@link System#nanoTime()}. */
    public long openNanos() {
        return openNanos;
    }

    /** When it opened, {@link System#currentTimeMillis()}. */
    public long openEpochMillis() {
        return openEpochMillis;
    }

    /** The name of the thread that asked for it. */
    public String thread() {
        return thread;
    }

    @Override
    public String toString() {
        return (inbound ? "in " : "out ") + Addresses.endpoint(remoteAddress, remotePort) + " local :" + localPort
                + " from " + site;
    }
}
