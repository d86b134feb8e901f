package io.ephemera.kernel;

import io.ephemera.track.Connection;

/**
 * Connections found by (local port, remote address, remote port): how a kernel socket is matched
 * to the connection this JVM opened. Built by the census thread once per scan. Each slot keeps a
 * 64-bit fingerprint of the tuple beside the connection, so a lookup per kernel socket touches two
 * arrays and allocates nothing; two tuples of one scan sharing a fingerprint is a 1-in-10^10 event
 * at 30,000 connections, taken as the price of not keeping the tuples themselves. A later
 * {@link #put} of the same tuple wins: with {@code tcp_tw_reuse} a port comes back, and the newest
 * connection is the one the kernel remembers.
 */
final class TupleIndex {

    private final long[] fingerprints;
    private final Connection[] values;
    private final int mask;
    private int size;

    TupleIndex(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected * 2)) << 1;
        fingerprints = new long[capacity];
        values = new Connection[capacity];
        mask = capacity - 1;
    }

    static long fingerprint(int localPort, long rHi, long rLo, int remotePort) {
        long f = mix(rLo ^ mix(rHi ^ ((long) localPort << 16 | remotePort)));
        return f == 0 ? 1 : f; // 0 marks an empty slot
    }

    void put(long fingerprint, Connection c) {
        if (size * 2 >= values.length) {
            return; // sized by the caller for its input; never reached
        }
        for (int i = (int) fingerprint & mask; ; i = (i + 1) & mask) {
            long f = fingerprints[i];
            if (f == 0) {
                fingerprints[i] = fingerprint;
                values[i] = c;
                size++;
                return;
            }
            if (f == fingerprint) {
                values[i] = c;
                return;
            }
        }
    }

    Connection get(long fingerprint) {
        for (int i = (int) fingerprint & mask; ; i = (i + 1) & mask) {
            long f = fingerprints[i];
            if (f == fingerprint) {
                return values[i];
            }
            if (f == 0) {
                return null;
            }
        }
    }

    int size() {
        return size;
    }

    /** MurmurHash3's 64-bit finaliser: every input bit reaches every output bit. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
