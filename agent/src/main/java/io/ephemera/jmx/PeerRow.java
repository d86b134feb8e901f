package io.ephemera.jmx;

import javax.management.ConstructorParameters;

/**
 * One inbound peer on one local port, as the MXBean shows it (a composite: each getter is an
 * item). Who closed first decides where each connection's TIME_WAIT went.
 */
public final class PeerRow {

    private final String peer;
    private final int localPort;
    private final long accepts;
    private final long open;
    private final long closedHere;
    private final long closedByPeer;
    private final long resetByPeer;
    private final double acceptRatePerSecond;
    private final long ownedTimeWait;
    private final double projectedPeerPortUse;
    private final boolean churning;

    @ConstructorParameters({"peer", "localPort", "accepts", "open", "closedHere", "closedByPeer", "resetByPeer",
        "acceptRatePerSecond", "ownedTimeWait", "projectedPeerPortUse", "churning"})
    public PeerRow(String peer, int localPort, long accepts, long open, long closedHere, long closedByPeer,
                   long resetByPeer, double acceptRatePerSecond, long ownedTimeWait, double projectedPeerPortUse,
                   boolean churning) {
        this.peer = peer;
        this.localPort = localPort;
        this.accepts = accepts;
        this.open = open;
        this.closedHere = closedHere;
        this.closedByPeer = closedByPeer;
        this.resetByPeer = resetByPeer;
        this.acceptRatePerSecond = acceptRatePerSecond;
        this.ownedTimeWait = ownedTimeWait;
        this.projectedPeerPortUse = projectedPeerPortUse;
        this.churning = churning;
    }

    /** The peer's IP address ({@code 127.0.0.1}, {@code ::1}), or {@code (other)}. */
    public String getPeer() {
        return peer;
    }

    /** This JVM's port the peer connects to. */
    public int getLocalPort() {
        return localPort;
    }

    /** Connections accepted from it on that port (count). */
    public long getAccepts() {
        return accepts;
    }

    /** Its connections open now (count). */
    public long getOpen() {
        return open;
    }

    /** Connections this side closed first: their TIME_WAIT stays here, on the service port (count). */
    public long getClosedHere() {
        return closedHere;
    }

    /** Connections the peer closed first with a FIN: their TIME_WAIT stays on the peer (count). */
    public long getClosedByPeer() {
        return closedByPeer;
    }

    /** Connections the peer reset: no TIME_WAIT on either side (count). */
    public long getResetByPeer() {
        return resetByPeer;
    }

    /** Accepts from it per second over the last 10 seconds. */
    public double getAcceptRatePerSecond() {
        return acceptRatePerSecond;
    }

    /** TIME_WAIT sockets on this side for this peer and port, left by connections this JVM closed first (count, last census); -1 unknown. */
    public long getOwnedTimeWait() {
        return ownedTimeWait;
    }

    /**
     * Ports the peer is projected to hold toward this port: acceptRatePerSecond × 60 × the share
     * of connections it closed with a FIN, plus those open (count).
     */
    public double getProjectedPeerPortUse() {
        return projectedPeerPortUse;
    }

    /** Whether it opens connections fast and they end soon: a new connection per request. */
    public boolean isChurning() {
        return churning;
    }
}
