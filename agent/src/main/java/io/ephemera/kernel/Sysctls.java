package io.ephemera.kernel;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code net.ipv4} sysctls that set the ephemeral port budget and how fast TIME_WAIT ports
 * come back, as one snapshot. They are per network namespace, so they are read from the
 * agent's own {@code /proc}. Every value is read on its own: a missing, unreadable or garbled
 * file makes that value {@link #ABSENT} and nothing else.
 */
final class Sysctls {

    /** The value of a sysctl that could not be read. */
    static final int ABSENT = -1;

    private final int portRangeLow;
    private final int portRangeHigh;
    private final ReservedPorts reservedPorts;
    private final int twReuse;
    private final int twReuseDelayMillis;
    private final int timestamps;
    private final int maxTwBuckets;

    Sysctls(int portRangeLow, int portRangeHigh, ReservedPorts reservedPorts, int twReuse,
            int twReuseDelayMillis, int timestamps, int maxTwBuckets) {
        this.portRangeLow = portRangeLow;
        this.portRangeHigh = portRangeHigh;
        this.reservedPorts = reservedPorts;
        this.twReuse = twReuse;
        this.twReuseDelayMillis = twReuseDelayMillis;
        this.timestamps = timestamps;
        this.maxTwBuckets = maxTwBuckets;
    }

    /** Reads {@code <procRoot>/sys/net/ipv4/*}; {@code procRoot} is normally {@code /proc}. */
    static Sysctls read(Path procRoot) {
        Path ipv4 = procRoot.resolve("sys/net/ipv4");
        int[] range = portRange(read(ipv4, "ip_local_port_range"));
        return new Sysctls(range[0], range[1],
                ReservedPorts.parse(read(ipv4, "ip_local_reserved_ports")),
                single(read(ipv4, "tcp_tw_reuse")),
                single(read(ipv4, "tcp_tw_reuse_delay")),
                single(read(ipv4, "tcp_timestamps")),
                single(read(ipv4, "tcp_max_tw_buckets")));
    }

    private static String read(Path dir, String name) {
        return ProcFiles.readOrNull(dir.resolve(name), ProcFiles.MAX_SMALL_FILE);
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
     * {@code tcp_tw_reuse_delay} in ms (Linux 6.14+); {@link #ABSENT} on older kernels, where
     * the delay is a fixed second.
     */
    int twReuseDelayMillis() {
        return twReuseDelayMillis;
    }

    /** {@code tcp_timestamps}: reuse needs them (0 off, 1 on, 2 on without random offset). */
    int timestamps() {
        return timestamps;
    }

    /** {@code tcp_max_tw_buckets}: past it new TIME_WAIT sockets are destroyed at once. */
    int maxTwBuckets() {
        return maxTwBuckets;
    }

    @Override
    public String toString() {
        return "ip_local_port_range=" + portRangeLow + "-" + portRangeHigh
                + " ip_local_reserved_ports=" + reservedPorts
                + " tcp_tw_reuse=" + twReuse + " tcp_tw_reuse_delay=" + twReuseDelayMillis
                + " tcp_timestamps=" + timestamps + " tcp_max_tw_buckets=" + maxTwBuckets;
    }
}
