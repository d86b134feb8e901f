package io.ephemera.kernel;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code net.ipv4} sysctls that set the ephemeral port budget and how fast TIME_WAIT ports
 * come back, as one snapshot. They are per network namespace: the agent reads its own
 * {@code /proc}; the doctor reads another process's namespace through a {@link SysctlSource}.
 * Every value is read on its own: a missing, unreadable or garbled file makes that value
 * {@link #ABSENT} and nothing else, and is named in {@link #unread()} with the reason. A value
 * is never guessed.
 */
final class Sysctls {

    /** The value of a sysctl that could not be read. */
    static final int ABSENT = -1;
    /**
     * {@code tcp_tw_reuse_delay} on a kernel that has no such sysctl (before Linux 6.14: the
     * delay is a fixed second). Told apart from {@link #ABSENT} by its sibling: the file is
     * missing while {@code tcp_tw_reuse} is there.
     */
    static final int NOT_IN_KERNEL = -2;

    static final String PORT_RANGE = "ip_local_port_range";
    static final String RESERVED_PORTS = "ip_local_reserved_ports";
    static final String TW_REUSE = "tcp_tw_reuse";
    static final String TW_REUSE_DELAY = "tcp_tw_reuse_delay";
    static final String TIMESTAMPS = "tcp_timestamps";
    static final String MAX_TW_BUCKETS = "tcp_max_tw_buckets";
    static final String FIN_TIMEOUT = "tcp_fin_timeout";

    /** Every sysctl read, in the order they are shown. */
    static final List<String> NAMES = List.of(PORT_RANGE, RESERVED_PORTS, TW_REUSE, TW_REUSE_DELAY, TIMESTAMPS,
            MAX_TW_BUCKETS, FIN_TIMEOUT);
    /** The sysctls the agent's budget and hold time need: unknown, they make its census partial. */
    static final List<String> MODEL = List.of(PORT_RANGE, RESERVED_PORTS, TW_REUSE, TW_REUSE_DELAY, TIMESTAMPS);

    private static final int SHOWN_GARBAGE = 40;

    private final int portRangeLow;
    private final int portRangeHigh;
    private final ReservedPorts reservedPorts;
    private final String reservedPortsText;
    private final int twReuse;
    private final int twReuseDelayMillis;
    private final int timestamps;
    private final int maxTwBuckets;
    private final int finTimeoutSeconds;
    private final Map<String, String> unread;

    private Sysctls(int[] range, ReservedPorts reservedPorts, String reservedPortsText, int twReuse,
                    int twReuseDelayMillis, int timestamps, int maxTwBuckets, int finTimeoutSeconds,
                    Map<String, String> unread) {
        this.portRangeLow = range[0];
        this.portRangeHigh = range[1];
        this.reservedPorts = reservedPorts;
        this.reservedPortsText = reservedPortsText;
        this.twReuse = twReuse;
        this.twReuseDelayMillis = twReuseDelayMillis;
        this.timestamps = timestamps;
        this.maxTwBuckets = maxTwBuckets;
        this.finTimeoutSeconds = finTimeoutSeconds;
        this.unread = Collections.unmodifiableMap(unread);
    }

    /** Reads {@code <procRoot>/sys/net/ipv4/*}; {@code procRoot} is normally {@code /proc}. */
    static Sysctls read(Path procRoot) {
        return read(SysctlSource.files(procRoot));
    }

    static Sysctls read(SysctlSource source) {
        Map<String, String> unread = new LinkedHashMap<>();
        Map<String, SysctlSource.Read> reads = new LinkedHashMap<>();
        for (String name : NAMES) {
            reads.put(name, source.read(name));
        }
        SysctlSource.Read rangeRead = reads.get(PORT_RANGE);
        int[] range = portRange(rangeRead.text());
        check(PORT_RANGE, rangeRead, range[0] != ABSENT, unread);

        SysctlSource.Read reservedRead = reads.get(RESERVED_PORTS);
        ReservedPorts reserved = ReservedPorts.parse(reservedRead.text());
        check(RESERVED_PORTS, reservedRead, reserved.known(), unread);

        int twReuse = number(TW_REUSE, reads.get(TW_REUSE), unread);
        SysctlSource.Read delayRead = reads.get(TW_REUSE_DELAY);
        int delay;
        if (delayRead.missing() && reads.get(TW_REUSE).text() != null) {
            delay = NOT_IN_KERNEL; // its sibling is there: a kernel before 6.14, not a file we failed to read
        } else {
            delay = number(TW_REUSE_DELAY, delayRead, unread);
        }
        int timestamps = number(TIMESTAMPS, reads.get(TIMESTAMPS), unread);
        int buckets = number(MAX_TW_BUCKETS, reads.get(MAX_TW_BUCKETS), unread);
        int fin = number(FIN_TIMEOUT, reads.get(FIN_TIMEOUT), unread);
        String reservedText = reserved.known() ? reservedRead.text().strip() : null;
        return new Sysctls(range, reserved, reservedText, twReuse, delay, timestamps, buckets, fin, unread);
    }

    private static int number(String name, SysctlSource.Read read, Map<String, String> unread) {
        int v = single(read.text());
        check(name, read, v != ABSENT, unread);
        return v;
    }

    private static void check(String name, SysctlSource.Read read, boolean parsed, Map<String, String> unread) {
        if (read.text() == null) {
            unread.put(fullName(name), read.problem());
        } else if (!parsed) {
            unread.put(fullName(name), "garbled: \"" + shown(read.text()) + "\"");
        }
    }

    /** {@code net.ipv4.ip_local_port_range}. */
    static String fullName(String name) {
        return "net.ipv4." + name;
    }

    private static String shown(String text) {
        String s = text.strip().replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < SHOWN_GARBAGE; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c > 0x7e || c == '"' || c == '\\' ? '?' : c);
        }
        return s.length() > SHOWN_GARBAGE ? b + "..." : b.toString();
    }

    /** {@code "32768\t60999"} as {low, high}; both {@link #ABSENT} unless 0 <= low <= high <= 65535. */
    static int[] portRange(String text) {
        List<String> words = text == null ? List.of() : ProcFiles.words(text);
        if (words.size() == 2) {
            int low = ProcFiles.parseIntCount(words.get(0));
            int high = ProcFiles.parseIntCount(words.get(1));
            if (low >= 0 && low <= high && high <= 65535) {
                return new int[] {low, high};
            }
        }
        return new int[] {ABSENT, ABSENT};
    }

    /** One non-negative integer and nothing else, or {@link #ABSENT}. */
    static int single(String text) {
        if (text == null) {
            return ABSENT;
        }
        List<String> words = ProcFiles.words(text);
        return words.size() == 1 ? ProcFiles.parseIntCount(words.get(0)) : ABSENT;
    }

    /**
     * The sysctls that could not be read, by full name ({@code net.ipv4.tcp_tw_reuse}), with why:
     * {@code missing}, {@code unreadable}, {@code garbled: "..."}, or the reason the namespace's
     * sysctls could not be read at all. Empty when every one was read.
     */
    Map<String, String> unread() {
        return unread;
    }

    /** Whether a sysctl the budget or the hold time needs could not be read. */
    boolean modelIncomplete() {
        for (String name : MODEL) {
            if (unread.containsKey(fullName(name))) {
                return true;
            }
        }
        return false;
    }

    /** {@code ip_local_port_range}'s first port, or {@link #ABSENT}. */
    int portRangeLow() {
        return portRangeLow;
    }

    /** {@code ip_local_port_range}'s last port (inclusive), or {@link #ABSENT}. */
    int portRangeHigh() {
        return portRangeHigh;
    }

    /** Ports in {@code ip_local_port_range}, or {@link #ABSENT}. */
    int portRangeSize() {
        return portRangeLow == ABSENT ? ABSENT : portRangeHigh - portRangeLow + 1;
    }

    /** {@code ip_local_reserved_ports}; {@link ReservedPorts#UNKNOWN} if unreadable. */
    ReservedPorts reservedPorts() {
        return reservedPorts;
    }

    /** {@code ip_local_reserved_ports} as the kernel prints it, stripped ({@code ""}: none); null when unknown. */
    String reservedPortsText() {
        return reservedPortsText;
    }

    boolean isReserved(int port) {
        return reservedPorts.isReserved(port);
    }

    /** Reserved ports in [low, high], deduplicated; {@link #ABSENT} if the list is unknown. */
    int reservedInRange(int low, int high) {
        return reservedPorts.reservedInRange(low, high);
    }

    /**
     * The ports a plain {@code connect()} may pick per destination before any are in use: the
     * range less its reserved ports. {@link #ABSENT} if either sysctl is unknown.
     */
    int usablePorts() {
        if (portRangeLow == ABSENT || !reservedPorts.known()) {
            return ABSENT;
        }
        return portRangeSize() - reservedInRange(portRangeLow, portRangeHigh);
    }

    /** {@code tcp_tw_reuse}: 0 off, 1 on, 2 loopback only; or {@link #ABSENT}. */
    int twReuse() {
        return twReuse;
    }

    /**
     * {@code tcp_tw_reuse_delay} in ms (Linux 6.14+); {@link #NOT_IN_KERNEL} on older kernels,
     * where the delay is a fixed second; {@link #ABSENT} when it could not be read.
     */
    int twReuseDelayMillis() {
        return twReuseDelayMillis;
    }

    /** {@code tcp_timestamps}: reuse needs them (0 off, 1 on, 2 on without random offset); or {@link #ABSENT}. */
    int timestamps() {
        return timestamps;
    }

    /** {@code tcp_max_tw_buckets}: past it new TIME_WAIT sockets are destroyed at once; or {@link #ABSENT}. */
    int maxTwBuckets() {
        return maxTwBuckets;
    }

    /** {@code tcp_fin_timeout} in seconds; or {@link #ABSENT}. */
    int finTimeoutSeconds() {
        return finTimeoutSeconds;
    }

    @Override
    public String toString() {
        return "ip_local_port_range=" + portRangeLow + "-" + portRangeHigh
                + " ip_local_reserved_ports=" + reservedPorts
                + " tcp_tw_reuse=" + twReuse + " tcp_tw_reuse_delay=" + twReuseDelayMillis
                + " tcp_timestamps=" + timestamps + " tcp_max_tw_buckets=" + maxTwBuckets
                + (unread.isEmpty() ? "" : " unread=" + unread);
    }
}
