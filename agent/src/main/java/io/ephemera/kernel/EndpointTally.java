package io.ephemera.kernel;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Per remote endpoint (address and port), the kernel sockets that use an ephemeral port toward
 * it, by state: what a destination's port budget is spent on. Open addressing over primitive
 * arrays, grown as needed; one per scan, filled by the census thread only.
 */
final class EndpointTally {

    static final int IN_USE = 0;
    static final int TIME_WAIT = 1;
    static final int ESTABLISHED = 2;
    static final int CLOSE_WAIT = 3;
    private static final int COUNTERS = 4;

    private long[] hi;
    private long[] lo;
    private int[] port;
    private int[] counts;
    private boolean[] used;
    private int mask;
    private int size;

    EndpointTally() {
        allocate(256);
    }

    void count(long rHi, long rLo, int rPort, TcpState state) {
        if (size * 2 >= used.length) {
            grow();
        }
        int i = find(rHi, rLo, rPort);
        if (!used[i]) {
            used[i] = true;
            hi[i] = rHi;
            lo[i] = rLo;
            port[i] = rPort;
            size++;
        }
        int base = i * COUNTERS;
        counts[base + IN_USE]++;
        if (state == TcpState.TIME_WAIT) {
            counts[base + TIME_WAIT]++;
        } else if (state == TcpState.ESTABLISHED) {
            counts[base + ESTABLISHED]++;
        } else if (state == TcpState.CLOSE_WAIT) {
            counts[base + CLOSE_WAIT]++;
        }
    }

    /** The counter {@code which} toward the endpoint; 0 when nothing used it. */
    int get(long rHi, long rLo, int rPort, int which) {
        int i = find(rHi, rLo, rPort);
        return used[i] ? counts[i * COUNTERS + which] : 0;
    }

    int size() {
        return size;
    }

    /** The {@code n} endpoints with the most ports in use, most first. */
    List<EndpointUse> busiest(int n) {
        List<EndpointUse> all = new ArrayList<>(size);
        for (int i = 0; i < used.length; i++) {
            if (used[i]) {
                int b = i * COUNTERS;
                all.add(new EndpointUse(KernelSocket.address(hi[i], lo[i]), port[i], counts[b + IN_USE],
                        counts[b + TIME_WAIT], counts[b + ESTABLISHED], counts[b + CLOSE_WAIT]));
            }
        }
        all.sort((a, b) -> Integer.compare(b.inUse(), a.inUse()));
        return all.subList(0, Math.min(n, all.size()));
    }

    /** One remote endpoint and the ephemeral ports used toward it. */
    public record EndpointUse(InetAddress address, int port, int inUse, int timeWait, int established,
                              int closeWait) {
    }

    private int find(long rHi, long rLo, int rPort) {
        for (int i = (int) TupleIndex.mix(rLo ^ TupleIndex.mix(rHi ^ rPort)) & mask; ; i = (i + 1) & mask) {
            if (!used[i] || (port[i] == rPort && lo[i] == rLo && hi[i] == rHi)) {
                return i;
            }
        }
    }

    private void allocate(int capacity) {
        hi = new long[capacity];
        lo = new long[capacity];
        port = new int[capacity];
        counts = new int[capacity * COUNTERS];
        used = new boolean[capacity];
        mask = capacity - 1;
        size = 0;
    }

    private void grow() {
        long[] oHi = hi;
        long[] oLo = lo;
        int[] oPort = port;
        int[] oCounts = counts;
        boolean[] oUsed = used;
        allocate(oUsed.length * 2);
        for (int j = 0; j < oUsed.length; j++) {
            if (oUsed[j]) {
                int i = find(oHi[j], oLo[j], oPort[j]);
                used[i] = true;
                hi[i] = oHi[j];
                lo[i] = oLo[j];
                port[i] = oPort[j];
                System.arraycopy(oCounts, j * COUNTERS, counts, i * COUNTERS, COUNTERS);
                size++;
            }
        }
    }
}
