package io.ephemera.kernel;

import java.util.Arrays;
import java.util.BitSet;

/**
 * One pass over a host's socket tables for {@link HostView}: counts by state, the listening
 * ports, and per remote endpoint the ephemeral ports in use toward it and when its TIME_WAIT
 * sockets end. Live sockets toward an endpoint are kept (inode and endpoint, in primitive arrays)
 * so their owners can be looked up afterwards for the busiest endpoints only. Linear in the
 * number of sockets; one instance per scan, one thread.
 *
 * <p>The kernel lists a table's listening sockets before its connections
 * ({@code tcp_seq_start}: the listening hash, then the established hash, in
 * {@code net/ipv4/tcp_ipv4.c}), so when a connection is visited the listeners of its file are
 * known: a socket on a listening port is an accepted connection, not an ephemeral port, and is
 * left out of the per-endpoint counts.
 */
final class HostScan implements ProcNetTcpParser.Visitor {

    /** TIME_WAIT lasts this long on Linux ({@code TCP_TIMEWAIT_LEN}). */
    static final long TIME_WAIT_MILLIS = 60_000;
    /** The forecast horizons: TIME_WAIT ports free within each, in seconds. */
    static final int[] HORIZONS = {10, 30, 60};
    /** A TIME_WAIT socket with more than 60 s less this left entered TIME_WAIT within it. */
    static final long RECENT_MILLIS = 10_000;

    private final int low;
    private final int high;
    private final long reuseAfterMillis;

    final int[] states = new int[TcpState.NEW_SYN_RECV.code() + 1]; // index 0: unknown codes
    final BitSet listeningPorts = new BitSet(65536);
    final EndpointTally endpoints = new EndpointTally();
    /** Per horizon, TIME_WAIT sockets toward each endpoint whose timer ends within it. */
    final EndpointTally[] freeing = new EndpointTally[HORIZONS.length];
    /** TIME_WAIT sockets that have been in TIME_WAIT longer than the reuse delay. */
    final EndpointTally pastReuseDelay = new EndpointTally();
    /** TIME_WAIT sockets that entered TIME_WAIT within {@link #RECENT_MILLIS}: the recent close rate. */
    final EndpointTally enteredRecently = new EndpointTally();
    int sockets;

    long[] liveInodes = new long[256];
    long[] liveHi = new long[256];
    long[] liveLo = new long[256];
    int[] livePorts = new int[256];
    boolean[] liveCloseWait = new boolean[256];
    int live;

    /**
     * @param low             first port of {@code ip_local_port_range}, or -1 when unknown (no
     *                        socket is then counted as ephemeral)
     * @param high            its last port
     * @param reuseDelayMillis how long a port stays in TIME_WAIT before {@code tcp_tw_reuse} may
     *                        take it over
     */
    HostScan(int low, int high, int reuseDelayMillis) {
        this.low = low;
        this.high = high;
        this.reuseAfterMillis = TIME_WAIT_MILLIS - reuseDelayMillis;
        for (int i = 0; i < freeing.length; i++) {
            freeing[i] = new EndpointTally();
        }
    }

    @Override
    public void socket(long localHi, long localLo, int localPort, long remoteHi, long remoteLo, int remotePort,
                       TcpState state, int timerType, long timerRemainingMillis, long uid, long inode) {
        sockets++;
        states[Math.max(0, state.code())]++;
        if (state == TcpState.LISTEN) {
            listeningPorts.set(localPort);
            return;
        }
        if (low < 0 || localPort < low || localPort > high || remotePort == 0 || listeningPorts.get(localPort)) {
            return;
        }
        endpoints.count(remoteHi, remoteLo, remotePort, state);
        if (state == TcpState.TIME_WAIT) {
            if (timerType == KernelSocket.TIMER_TIME_WAIT) {
                for (int i = 0; i < HORIZONS.length; i++) {
                    if (timerRemainingMillis <= HORIZONS[i] * 1000L) {
                        freeing[i].count(remoteHi, remoteLo, remotePort, state);
                    }
                }
                if (timerRemainingMillis <= reuseAfterMillis) {
                    pastReuseDelay.count(remoteHi, remoteLo, remotePort, state);
                }
                if (timerRemainingMillis > TIME_WAIT_MILLIS - RECENT_MILLIS) {
                    enteredRecently.count(remoteHi, remoteLo, remotePort, state);
                }
            }
            return;
        }
        if (inode != 0) {
            keepLive(inode, remoteHi, remoteLo, remotePort, state == TcpState.CLOSE_WAIT);
        }
    }

    private void keepLive(long inode, long rHi, long rLo, int rPort, boolean closeWait) {
        if (live == liveInodes.length) {
            int n = live * 2;
            liveInodes = Arrays.copyOf(liveInodes, n);
            liveHi = Arrays.copyOf(liveHi, n);
            liveLo = Arrays.copyOf(liveLo, n);
            livePorts = Arrays.copyOf(livePorts, n);
            liveCloseWait = Arrays.copyOf(liveCloseWait, n);
        }
        liveInodes[live] = inode;
        liveHi[live] = rHi;
        liveLo[live] = rLo;
        livePorts[live] = rPort;
        liveCloseWait[live] = closeWait;
        live++;
    }

    int count(TcpState state) {
        return states[Math.max(0, state.code())];
    }
}
