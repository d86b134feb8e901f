package io.ephemera.analysis;

import java.net.InetAddress;

/**
 * How long a port this side closed stays unusable for a new connect to the same destination.
 * Linux keeps a closed connection in TIME_WAIT for 60 s ({@code TCP_TIMEWAIT_LEN}, not tunable);
 * with {@code tcp_tw_reuse} (1: every destination, 2: loopback only) and TCP timestamps on, an
 * outgoing connect may reuse the port once it has been in TIME_WAIT {@code tcp_tw_reuse_delay} ms
 * (a sysctl since Linux 6.14; one second, fixed, before).
 */
public final class HoldTime {

    /** TIME_WAIT on Linux. */
    public static final double TIME_WAIT_SECONDS = 60.0;
    /** The reuse delay where the kernel has no {@code tcp_tw_reuse_delay} sysctl. */
    public static final int DEFAULT_REUSE_DELAY_MILLIS = 1_000;

    private HoldTime() {
    }

    /**
     * Seconds a closed port stays unusable toward {@code destination}.
     *
     * @param twReuse          {@code tcp_tw_reuse}, or -1 when unknown (taken as the default, 2)
     * @param timestamps       {@code tcp_timestamps}, or -1 when unknown (taken as on)
     * @param reuseDelayMillis {@code tcp_tw_reuse_delay}, or -1 when the kernel has none
     */
    public static double seconds(InetAddress destination, int twReuse, int timestamps, int reuseDelayMillis) {
        if (reusable(destination, twReuse, timestamps)) {
            return (reuseDelayMillis > 0 ? reuseDelayMillis : DEFAULT_REUSE_DELAY_MILLIS) / 1000.0;
        }
        return TIME_WAIT_SECONDS;
    }

    /** Whether {@code tcp_tw_reuse} applies to connects toward {@code destination}. */
    public static boolean reusable(InetAddress destination, int twReuse, int timestamps) {
        int reuse = twReuse < 0 ? 2 : twReuse;
        boolean stamps = timestamps != 0; // 1 and 2 both send timestamps; -1 (unknown) is the default, on
        if (!stamps) {
            return false;
        }
        return reuse == 1 || (reuse == 2 && destination != null && destination.isLoopbackAddress());
    }
}
