package io.ephemera.kernel;

import io.ephemera.track.Connection;

/**
 * Connections found by (local port, remote address, remote port): how a kernel socket is matched
 * to the connection this JVM opened. Built by the census thread once per scan; open addressing
 * over primitive arrays, so a lookup per kernel socket allocates nothing. A later {@link #put}
 * of the same tuple wins: with {@code tcp_tw_reuse} a port comes back, and the newest connection
 * is the one the kernel remembers.
 */
final class TupleIndex {

    private final long[] remoteHi;
    private final long[] remoteLo;
    private final int[] ports;
    private final Connection[] values;
    private final int mask;
    private int size;

    TupleIndex(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected * 2)) << 1;
        remoteHi = new long[capacity];
        remoteLo = new long[capacity];
        ports = new int[capacity];
        values = new Connection[capacity];
        mask = capacity - 1;
    }

    void put(int localPort, long rHi, long rLo, int remotePort, Connection c) {
        if (size * 2 >= values.length) {
            return; // sized by the caller for its input; never reached
        }
        int key = localPort << 16 | remotePort;
        for (int i = slot(key, rHi, rLo); ; i = (i + 1) & mask) {
            if (values[i] == null) {
                remoteHi[i] = rHi;
                remoteLo[i] = rLo;
                ports[i] = key;
                values[i] = c;
                size++;
                return;
            }
            if (ports[i] == key && remoteHi[i] == rHi && remoteLo[i] == rLo) {
                values[i] = c;
                return;
            }
        }
    }

    Connection get(int localPort, long rHi, long rLo, int remotePort) {
        int key = localPort << 16 | remotePort;
        for (int i = slot(key, rHi, rLo); ; i = (i + 1) & mask) {
            Connection c = values[i];
            if (c == null) {
                return null;
            }
            if (ports[i] == key && remoteHi[i] == rHi && remoteLo[i] == rLo) {
                return c;
            }
        }
    }

    int size() {
        return size;
    }

    private int slot(int key, long hi, long lo) {
        long h = (lo * 0x9E3779B97F4A7C15L) ^ (hi * 0xC2B2AE3D27D4EB4FL) ^ key;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
