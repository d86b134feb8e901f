package io.ephemera.kernel;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One row of {@code /proc/net/tcp} or {@code /proc/net/tcp6}.
 *
 * <p>Addresses are kept as the 16 bytes of their IPv6 form in two big-endian longs
 * ({@code hi} = bytes 0..7, {@code lo} = bytes 8..15). An IPv4 address is stored as
 * {@code ::ffff:a.b.c.d}, so the same connection compares equal whether the kernel listed it
 * in {@code tcp} (an {@code AF_INET} socket) or in {@code tcp6} (a dual-stack Java socket), and
 * {@link #hi(InetAddress)} / {@link #lo(InetAddress)} give the same longs for a Java address.
 * Scope ids are not kept: the kernel does not print them.
 *
 * @param localHi              bytes 0..7 of the local address
 * @param localLo              bytes 8..15 of the local address
 * @param localPort            local port, 0..65535
 * @param remoteHi             bytes 0..7 of the remote address
 * @param remoteLo             bytes 8..15 of the remote address
 * @param remotePort           remote port, 0..65535 (0 for a listener)
 * @param state                the {@code st} column
 * @param timerType            the {@code tr} column: see the {@code TIMER_*} constants
 * @param timerRemainingMillis the {@code tm->when} column in milliseconds: for TIME_WAIT, the
 *                             time left before the port is free
 * @param uid                  the owner's uid; 0 for TIME_WAIT, which no process owns
 * @param inode                the socket inode that {@code /proc/<pid>/fd} links to; 0 for
 *                             TIME_WAIT and half-open request sockets
 */
record KernelSocket(
        long localHi, long localLo, int localPort,
        long remoteHi, long remoteLo, int remotePort,
        TcpState state, int timerType, long timerRemainingMillis, long uid, long inode) {

    /** {@code tr} 0: no timer pending. */
    static final int TIMER_NONE = 0;
    /** {@code tr} 1: retransmit, loss probe or reordering timer (and request sockets). */
    static final int TIMER_RETRANSMIT = 1;
    /** {@code tr} 2: keepalive (the socket's own timer). */
    static final int TIMER_KEEPALIVE = 2;
    /** {@code tr} 3: the TIME_WAIT timer; {@code tm->when} is the time left in TIME_WAIT. */
    static final int TIMER_TIME_WAIT = 3;
    /** {@code tr} 4: zero window probe. */
    static final int TIMER_ZERO_WINDOW_PROBE = 4;

    /** Bytes 8..11 of {@code ::ffff:a.b.c.d}: the {@code lo} of a mapped address is this | a.b.c.d. */
    static final long MAPPED_IPV4_PREFIX = 0x0000_FFFF_0000_0000L;

    /** The local address; an IPv4-mapped one is returned as an {@code Inet4Address}. */
    InetAddress localAddress() {
        return address(localHi, localLo);
    }

    /** The remote address; an IPv4-mapped one is returned as an {@code Inet4Address}. */
    InetAddress remoteAddress() {
        return address(remoteHi, remoteLo);
    }

    /** True when the local address is IPv4 (stored as {@code ::ffff:a.b.c.d}). */
    boolean isIpv4() {
        return isMappedIpv4(localHi, localLo);
    }

    /** The {@code lo} long for the IPv4 address whose network-order bytes are {@code ipv4}. */
    static long mappedIpv4(int ipv4) {
        return MAPPED_IPV4_PREFIX | (ipv4 & 0xFFFF_FFFFL);
    }

    static boolean isMappedIpv4(long hi, long lo) {
        return hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == MAPPED_IPV4_PREFIX;
    }

    /** Bytes 0..7 of the address in the form this class stores; 0 for an IPv4 address. */
    static long hi(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 16 ? bigEndianLong(b, 0) : 0;
    }

    /**
     * Bytes 8..15 of the address in the form this class stores: an {@code Inet4Address} and an
     * {@code Inet6Address} holding {@code ::ffff:a.b.c.d} give the same value.
     */
    static long lo(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16) {
            return bigEndianLong(b, 8);
        }
        int v4 = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        return mappedIpv4(v4);
    }

    static InetAddress address(long hi, long lo) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        try {
            // getByAddress turns ::ffff:a.b.c.d into an Inet4Address by itself
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) {
            throw new AssertionError("16 bytes is a valid address length", impossible);
        }
    }

    private static long bigEndianLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xff);
        }
        return v;
    }

    @Override
    public String toString() {
        return state + " " + endpoint(localHi, localLo, localPort) + " -> "
                + endpoint(remoteHi, remoteLo, remotePort)
                + " tr=" + timerType + " when=" + timerRemainingMillis + "ms uid=" + uid
                + " inode=" + inode;
    }

    private static String endpoint(long hi, long lo, int port) {
        InetAddress a = address(hi, lo);
        return a instanceof Inet6Address
                ? "[" + a.getHostAddress() + "]:" + port
                : a.getHostAddress() + ":" + port;
    }
}
