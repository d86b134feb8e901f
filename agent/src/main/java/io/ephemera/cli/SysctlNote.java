package io.ephemera.cli;

import io.ephemera.analysis.HoldTime;
import io.ephemera.kernel.HostView;

import java.util.ArrayList;
import java.util.List;

/**
 * One sysctl of the port budget as the doctor shows it: its value as read from the namespace and
 * what that value means here. {@code value} is null when the file could not be read (or, for
 * {@code tcp_tw_reuse_delay}, when the kernel has none); a value that could not be read is said
 * unknown, never taken as its default.
 */
record SysctlNote(String name, String value, String meaning) {

    static List<SysctlNote> of(HostView h) {
        List<SysctlNote> notes = new ArrayList<>();
        int low = h.portRangeLow();
        int high = h.portRangeHigh();
        notes.add(new SysctlNote("net.ipv4.ip_local_port_range", low < 0 ? null : low + " " + high,
                low < 0 ? "the port budget cannot be computed"
                        : Numbers.grouped(high - low + 1) + " ports: a plain connect() gets this many per "
                        + "destination (remote address:port)"));
        String reserved = h.reservedPortsText();
        int reservedInRange = low < 0 ? -1 : h.reservedIn(low, high);
        notes.add(new SysctlNote("net.ipv4.ip_local_reserved_ports", reserved,
                reserved == null ? "the port budget cannot be computed"
                        : reservedInRange > 0 ? Numbers.grouped(reservedInRange) + " of them in the range: "
                        + "connect() never picks them"
                        : reserved.isEmpty() ? "none reserved" : "none of them in the range"));
        notes.add(new SysctlNote("net.ipv4.tcp_tw_reuse", number(h.twReuse()), twReuse(h.twReuse())));
        int delay = h.twReuseDelayMillis();
        notes.add(new SysctlNote("net.ipv4.tcp_tw_reuse_delay", number(delay),
                delay == HoldTime.NO_DELAY_SYSCTL
                ? "absent (Linux before 6.14): tcp_tw_reuse takes a TIME_WAIT port after a fixed 1 s"
                : delay < 0 ? "how soon tcp_tw_reuse takes a TIME_WAIT port over cannot be told"
                : "ms a port stays in TIME_WAIT before tcp_tw_reuse may take it over"));
        int ts = h.timestamps();
        notes.add(new SysctlNote("net.ipv4.tcp_timestamps", number(ts), ts < 0
                ? "whether tcp_tw_reuse can work cannot be told (it needs TCP timestamps)"
                : ts == 0 ? "off: tcp_tw_reuse cannot work (it needs TCP timestamps)"
                : "on: tcp_tw_reuse can work (it needs TCP timestamps on both ends)"));
        int buckets = h.maxTwBuckets();
        notes.add(new SysctlNote("net.ipv4.tcp_max_tw_buckets", number(buckets), buckets < 0
                ? "the most TIME_WAIT sockets kept; past it new ones are destroyed at once"
                : "at most this many TIME_WAIT sockets (" + Numbers.grouped(h.timeWait()) + " now); past it new ones "
                + "are destroyed at once" + (h.timeWaitOverflows() > 0 ? " (" + Numbers.grouped(h.timeWaitOverflows())
                + " so far since boot: TcpExt TCPTimeWaitOverflow)" : "")));
        int fin = h.finTimeoutSeconds();
        notes.add(new SysctlNote("net.ipv4.tcp_fin_timeout", number(fin), (fin < 0 ? "" : "s ")
                + "an orphaned FIN_WAIT2 socket lingers; it does not shorten TIME_WAIT, which is always 60 s"));
        return notes;
    }

    private static String number(int v) {
        return v < 0 ? null : Integer.toString(v);
    }

    private static String twReuse(int v) {
        switch (v) {
            case 0:
                return "off: a port this host closed first stays held toward that destination for the whole 60 s of "
                        + "TIME_WAIT, loopback included";
            case 1:
                return "on: an outgoing connect may take over a TIME_WAIT port toward any destination after "
                        + "tcp_tw_reuse_delay";
            case 2:
                return "loopback only (the default): connects to 127.0.0.0/8 and ::1 take over TIME_WAIT ports after "
                        + "tcp_tw_reuse_delay; other destinations wait the full 60 s";
            default:
                return v < 0 ? "the hold time cannot be told wherever tcp_tw_reuse could apply" : "unknown value";
        }
    }
}
