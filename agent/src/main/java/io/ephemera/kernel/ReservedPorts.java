package io.ephemera.kernel;

import java.util.BitSet;

/**
 * The ports in {@code net.ipv4.ip_local_reserved_ports}: {@code connect()} never picks them for
 * an ephemeral port, so they shrink the budget. The kernel prints them as a comma list of ports
 * and ranges, {@code 8080,9000-9010}; an empty line means none.
 */
final class ReservedPorts {

    /** The list could not be read or parsed: every query answers "unknown". */
    static final ReservedPorts UNKNOWN = new ReservedPorts(null);

    private static final int MAX_PORT = 65535;

    /** Never modified after construction; null when unknown. */
    private final BitSet ports;

    private ReservedPorts(BitSet ports) {
        this.ports = ports;
    }

    /** Parses the sysctl's text; {@link #UNKNOWN} if {@code text} is null or garbled. */
    static ReservedPorts parse(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        String list = text.strip();
        BitSet ports = new BitSet(); // grows only as far as the highest reserved port
        if (list.isEmpty()) {
            return new ReservedPorts(ports);
        }
        int start = 0;
        while (start <= list.length()) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? list.length() : comma;
            String item = list.substring(start, end).strip();
            int dash = item.indexOf('-');
            int low = ProcFiles.parseIntCount(dash < 0 ? item : item.substring(0, dash).strip());
            int high = dash < 0 ? low : ProcFiles.parseIntCount(item.substring(dash + 1).strip());
            if (low < 0 || high < low || high > MAX_PORT) {
                return UNKNOWN;
            }
            ports.set(low, high + 1);
            start = end + 1;
        }
        return new ReservedPorts(ports);
    }

    /** False when the list could not be read; the other answers are then -1 or false. */
    boolean known() {
        return ports != null;
    }

    boolean isReserved(int port) {
        return ports != null && port >= 0 && ports.get(port);
    }

    /** How many reserved ports lie in [low, high], each counted once; -1 when unknown. */
    int reservedInRange(int low, int high) {
        if (ports == null) {
            return -1;
        }
        int from = Math.max(0, low);
        int to = Math.min(MAX_PORT, high);
        if (from > to) {
            return 0;
        }
        int count = 0;
        for (int p = ports.nextSetBit(from); p >= 0 && p <= to; p = ports.nextSetBit(p + 1)) {
            count++;
        }
        return count;
    }

    /** How many ports are reserved; -1 when unknown. */
    int size() {
        return ports == null ? -1 : ports.cardinality();
    }

    @Override
    public String toString() {
        return ports == null ? "unknown" : ports.toString();
    }
}
