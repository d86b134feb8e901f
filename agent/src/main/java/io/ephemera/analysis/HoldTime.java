package io.ephemera.analysis;

import java.net.InetAddress;

/**
 * How long a port this side closed stays unusable for a new connect to the same destination.
 * Linux keeps a closed connection in TIME_WAIT for 60 s ({@code TCP_TIMEWAIT_LEN}, not tunable);
 * with {@code tcp_tw_reuse} (1: every destination, 2: loopback only) and TCP timestamps on, an
 * outgoing connect may reuse the port once it has been in TIME_WAIT {@code tcp_tw_reuse_delay} ms
 * (a sysctl since Linux 6.14; one second, fixed, before).
 *
 * <p>A sysctl that could not be read is never replaced by its default: where the answer depends
 * on it, the hold time is {@link #UNKNOWN}. Where it does not (reuse off, timestamps off, a
 * remote destination under {@code tcp_tw_reuse=2}), the answer is known without it.
 */
public final class HoldTime {

    /** TIME_WAIT on Linux. */
    public static final double TIME_WAIT_SECONDS = 60.0;
    /** The reuse delay where the kernel has no {@code tcp_tw_reuse_delay} sysctl. */
    public static final int DEFAULT_REUSE_DELAY_MILLIS = 1_000;
    /** A hold time that cannot be told: a sysctl it depends on could not be read. */
    public static final double UNKNOWN = -1;
    /** A sysctl value that could not be read. */
    public static final int UNREAD = -1;
    /** {@code tcp_tw_reuse_delay} on a kernel before 6.14, which has none: a fixed second. */
    public static final int NO_DELAY_SYSCTL = -2;

    /** Whether {@code tcp_tw_reuse} lets a connect take over a TIME_WAIT port toward a destination. */
    public enum Reuse {
        APPLIES, DOES_NOT_APPLY, UNKNOWN
    }

    /**
     * What a change of {@code tcp_tw_reuse} would do toward a destination, from the same rule as
     * {@link #reuse}: the doctor's {@code tcp_tw_reuse=1} what-if and the report's advice both
     * follow it, so neither suggests a value that changes nothing.
     */
    public enum ReuseChange {
        /** Reuse applies already: no value of {@code tcp_tw_reuse} shortens the hold further. */
        ALREADY_APPLIES,
        /** Reuse does not apply; {@code tcp_tw_reuse=1} would make it apply (2 too, toward loopback). */
        WOULD_APPLY,
        /** {@code tcp_timestamps=0}: no value of {@code tcp_tw_reuse} applies until timestamps are on. */
        NEEDS_TIMESTAMPS,
        /** A sysctl the answer needs could not be read. */
        UNKNOWN
    }

    private HoldTime() {
    }

    /** What changing {@code tcp_tw_reuse} would do toward {@code destination}; see {@link ReuseChange}. */
    public static ReuseChange reuseChange(InetAddress destination, int twReuse, int timestamps) {
        Reuse now = reuse(destination, twReuse, timestamps);
        if (now == Reuse.APPLIES) {
            return ReuseChange.ALREADY_APPLIES;
        }
        if (timestamps == 0) {
            return ReuseChange.NEEDS_TIMESTAMPS;
        }
        if (now == Reuse.UNKNOWN || reuse(destination, 1, timestamps) != Reuse.APPLIES) {
            return ReuseChange.UNKNOWN;
        }
        return ReuseChange.WOULD_APPLY;
    }

    /**
     * Seconds a closed port stays unusable toward {@code destination}, or {@link #UNKNOWN}.
     *
     * @param twReuse          {@code tcp_tw_reuse}, or {@link #UNREAD}
     * @param timestamps       {@code tcp_timestamps}, or {@link #UNREAD}
     * @param reuseDelayMillis {@code tcp_tw_reuse_delay}, {@link #NO_DELAY_SYSCTL} where the kernel
     *                         has none, or {@link #UNREAD}
     */
    public static double seconds(InetAddress destination, int twReuse, int timestamps, int reuseDelayMillis) {
        switch (reuse(destination, twReuse, timestamps)) {
            case DOES_NOT_APPLY:
                return TIME_WAIT_SECONDS;
            case APPLIES:
                if (reuseDelayMillis > 0) {
                    return reuseDelayMillis / 1000.0;
                }
                return reuseDelayMillis == NO_DELAY_SYSCTL ? DEFAULT_REUSE_DELAY_MILLIS / 1000.0 : UNKNOWN;
            default:
                return UNKNOWN;
        }
    }

    /** Whether a hold time is known. */
    public static boolean known(double holdSeconds) {
        return holdSeconds >= 0;
    }

    /**
     * Whether {@code tcp_tw_reuse} applies to connects toward {@code destination}: off when either
     * sysctl says so, whatever the other; unknown when the answer needs one that was not read.
     */
    public static Reuse reuse(InetAddress destination, int twReuse, int timestamps) {
        boolean remote = destination == null || !destination.isLoopbackAddress();
        if (timestamps == 0 || twReuse == 0 || twReuse == 2 && remote) {
            return Reuse.DOES_NOT_APPLY;
        }
        if (timestamps < 0 || twReuse < 0 || twReuse > 2) {
            return Reuse.UNKNOWN;
        }
        return Reuse.APPLIES; // 1, or 2 toward loopback; timestamps 1 and 2 both send them
    }
}
