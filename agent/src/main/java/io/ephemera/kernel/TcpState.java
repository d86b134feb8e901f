package io.ephemera.kernel;

/**
 * The {@code st} column of {@code /proc/net/tcp}: the kernel's {@code TCP_*} state numbers
 * from {@code include/net/tcp_states.h}. A request socket (a half-open connection on a
 * listener) is printed as {@link #SYN_RECV}, not {@link #NEW_SYN_RECV}.
 */
enum TcpState {
    ESTABLISHED(1),
    SYN_SENT(2),
    SYN_RECV(3),
    FIN_WAIT1(4),
    FIN_WAIT2(5),
    TIME_WAIT(6),
    CLOSE(7),
    CLOSE_WAIT(8),
    LAST_ACK(9),
    LISTEN(10),
    CLOSING(11),
    NEW_SYN_RECV(12),
    /** A code this table does not know: a newer kernel, or a corrupt line that still parsed. */
    UNKNOWN(-1);

    /** Indexed by kernel code; {@code values()} would copy the array on every call. */
    private static final TcpState[] BY_CODE = {
        UNKNOWN, ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE,
        CLOSE_WAIT, LAST_ACK, LISTEN, CLOSING, NEW_SYN_RECV,
    };

    private final int code;

    TcpState(int code) {
        this.code = code;
    }

    /** The kernel's number for this state, or -1 for {@link #UNKNOWN}. */
    int code() {
        return code;
    }

    /** The state for a kernel code; {@link #UNKNOWN} for any other number. Allocates nothing. */
    static TcpState of(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
