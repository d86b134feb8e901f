package io.ephemera.kernel;

import io.ephemera.analysis.HoldTime;
import io.ephemera.track.Addresses;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole network namespace's TCP picture, read once from {@code /proc} for the {@code doctor}
 * command: no JVM and no agent needed. The sysctls that set the ephemeral port budget; sockets by
 * state; the remote endpoints with the most ephemeral ports in use toward them, each with when
 * its TIME_WAIT sockets end ({@code tm->when}) and which processes hold its live sockets (where
 * {@code /proc/<pid>/fd} may be read; TIME_WAIT sockets have no owner). Immutable.
 *
 * <p>Cost: one pass over {@code /proc/net/tcp} and {@code /proc/net/tcp6}, linear in the sockets,
 * then one link read per descriptor of the readable processes, stopped as soon as every live
 * socket toward the busiest endpoints has an owner.
 */
public final class HostView {

    /** The forecast horizons, in seconds: {@link DestinationLoad#freeingWithin(int)}. */
    public static final List<Integer> HORIZONS_SECONDS = List.of(10, 30, 60);
    /** The window of {@link DestinationLoad#timeWaitEnteredRecently()}, in seconds. */
    public static final int RECENT_SECONDS = (int) (HostScan.RECENT_MILLIS / 1000);

    /**
     * A process holding live sockets toward a destination.
     *
     * @param command   its {@code comm} ("?" when unreadable)
     * @param argv      its command line, word by word (empty when unreadable)
     * @param sockets   its sockets toward the destination
     * @param closeWait how many of them are in CLOSE_WAIT
     */
    public record Owner(long pid, String command, List<String> argv, int sockets, int closeWait) {
    }

    /**
     * One remote endpoint and the ephemeral ports in use toward it, by any process.
     *
     * @param inUse                  sockets toward it whose local port is in the range, any state
     * @param timeWaitPastReuseDelay TIME_WAIT sockets older than the reuse delay: those a connect
     *                               may take over where {@code tcp_tw_reuse} applies
     * @param timeWaitEnteredRecently TIME_WAIT sockets that entered TIME_WAIT within the last
     *                               {@link #RECENT_SECONDS} (their timer has more than 60 s less
     *                               that left): connections toward it this host closed first,
     *                               lately
     * @param freeing                per {@link #HORIZONS_SECONDS}, TIME_WAIT sockets whose timer
     *                               ends within it
     * @param owners                 processes holding its live sockets, most sockets first
     * @param unowned                live sockets toward it whose process was not found
     */
    public record DestinationLoad(InetAddress address, int port, int inUse, int timeWait, int established,
                                  int closeWait, int timeWaitPastReuseDelay, int timeWaitEnteredRecently,
                                  List<Integer> freeing,
                                  List<Owner> owners, int unowned) {

        /** TIME_WAIT sockets toward it whose timer ends within {@code seconds} (one of the horizons). */
        public int freeingWithin(int seconds) {
            int i = HORIZONS_SECONDS.indexOf(seconds);
            if (i < 0) {
                throw new IllegalArgumentException("not a horizon: " + seconds);
            }
            return freeing.get(i);
        }

        /** Sockets in states other than TIME_WAIT, ESTABLISHED and CLOSE_WAIT (SYN_SENT, FIN_WAIT*, ...). */
        public int other() {
            return inUse - timeWait - established - closeWait;
        }

        /** {@code 127.0.0.1:8080}, {@code [::1]:8080}: as the agent writes destinations. */
        public String key() {
            return Addresses.endpoint(address, port);
        }
    }

    /** How far the owner lookup got: see {@link SocketOwners}. */
    public record OwnerLookup(int processes, int unreadable, boolean complete, String incompleteReason) {
    }

    private final Path procRoot;
    private final Path netRoot;
    private final long pid;
    private final String sysctlsHow;
    private final String unavailableReason;
    private final Map<String, String> unread;
    private final Sysctls sysctls;
    private final String networkNamespace;
    private final int sockets;
    private final int malformedLines;
    private final Map<String, Integer> states;
    private final int[] stateCounts;
    private final long sockStatTimeWait;
    private final long timeWaitOverflows;
    private final BitSet listeningPorts;
    private final List<DestinationLoad> destinations;
    private final int destinationCount;
    private final OwnerLookup ownerLookup;
    private final double scanMillis;

    private HostView(Builder b) {
        this.procRoot = b.procRoot;
        this.netRoot = b.netRoot;
        this.pid = b.pid;
        this.sysctlsHow = b.sysctlsHow;
        this.unavailableReason = b.unavailableReason;
        this.unread = Collections.unmodifiableMap(b.unread);
        this.sysctls = b.sysctls;
        this.networkNamespace = b.networkNamespace;
        this.sockets = b.scan.sockets;
        this.malformedLines = b.malformedLines;
        this.stateCounts = b.scan.states.clone();
        Map<String, Integer> s = new LinkedHashMap<>();
        for (int code = 1; code < stateCounts.length; code++) {
            if (stateCounts[code] > 0) {
                s.put(TcpState.of(code).name(), stateCounts[code]);
            }
        }
        if (stateCounts[0] > 0) {
            s.put(TcpState.UNKNOWN.name(), stateCounts[0]);
        }
        this.states = Collections.unmodifiableMap(s);
        this.sockStatTimeWait = b.sockStat.timeWait();
        this.timeWaitOverflows = b.sockStat.timeWaitOverflows();
        this.listeningPorts = (BitSet) b.scan.listeningPorts.clone();
        this.destinations = List.copyOf(b.destinations);
        this.destinationCount = b.scan.endpoints.size();
        this.ownerLookup = b.ownerLookup;
        this.scanMillis = b.scanMillis;
    }

    /**
     * Reads the view from {@code procRoot} (normally {@code /proc}), keeping the {@code top}
     * busiest destinations. Never throws on content: what cannot be read is absent or said
     * unavailable.
     */
    public static HostView read(Path procRoot, int top) {
        return read(procRoot, -1, SysctlSource.files(procRoot), top);
    }

    /**
     * Reads the network namespace of process {@code pid} from {@code <procRoot>/<pid>/net} (its
     * socket tables and counters; the owners are looked up in every process, as for this
     * namespace) with its sysctls from {@code sysctls}: {@code <procRoot>/sys} shows the reader's
     * namespace, not the process's. A {@code pid} of -1 is this command's own namespace.
     */
    public static HostView read(Path procRoot, long pid, SysctlSource sysctls, int top) {
        long t0 = System.nanoTime();
        Path netRoot = pid < 0 ? procRoot : procRoot.resolve(Long.toString(pid));
        Builder b = new Builder(procRoot, netRoot, pid);
        b.sysctls = Sysctls.read(sysctls);
        b.sysctlsHow = sysctls.how();
        b.unread.putAll(b.sysctls.unread());
        b.networkNamespace = networkNamespace(netRoot.resolve(pid < 0 ? "self/ns/net" : "ns/net"));
        b.sockStat = SockStat.read(netRoot);
        int delay = b.sysctls.twReuseDelayMillis() > 0 ? b.sysctls.twReuseDelayMillis() : HoldTime.DEFAULT_REUSE_DELAY_MILLIS;
        b.scan = new HostScan(b.sysctls.portRangeLow(), b.sysctls.portRangeHigh(), delay);
        ProcNetTcpParser parser = new ProcNetTcpParser();
        Path tcp = netRoot.resolve("net/tcp");
        Path tcp6 = netRoot.resolve("net/tcp6");
        TcpScan v4 = parser.scan(tcp, b.scan);
        TcpScan v6 = parser.scan(tcp6, b.scan);
        b.malformedLines = v4.malformedLines() + v6.malformedLines();
        if (!v4.available() && !v6.available()) {
            b.unavailableReason = "cannot read " + tcp + " or " + tcp6 + ": " + v4.error();
            b.unread.put(tcp.toString(), problem(tcp, v4));
            b.unread.put(tcp6.toString(), problem(tcp6, v6));
        } else {
            for (Path file : List.of(tcp, tcp6)) {
                TcpScan scan = file == tcp ? v4 : v6;
                if (!scan.available() && Files.exists(file)) { // a table that does not exist (no IPv6) holds nothing
                    b.unread.put(file.toString(), problem(file, scan));
                }
            }
        }
        BusiestDestinations busiest = BusiestDestinations.of(b.scan, top, procRoot);
        b.destinations = busiest.loads();
        b.ownerLookup = busiest.ownerLookup();
        b.scanMillis = (System.nanoTime() - t0) / 1e6;
        return new HostView(b);
    }

    private static String problem(Path file, TcpScan scan) {
        return Files.exists(file) ? "unreadable: " + scan.error() : "missing";
    }

    /** The namespace's identity, {@code net:[4026531840]}, from a {@code ns/net} link; null when unreadable. */
    public static String networkNamespace(Path nsLink) {
        try {
            return Files.readSymbolicLink(nsLink).toString();
        } catch (Exception e) {
            return null;
        }
    }

    private static final class Builder {
        final Path procRoot;
        final Path netRoot;
        final long pid;
        String sysctlsHow;
        final Map<String, String> unread = new LinkedHashMap<>();
        String unavailableReason;
        Sysctls sysctls;
        String networkNamespace;
        SockStat sockStat;
        HostScan scan;
        int malformedLines;
        List<DestinationLoad> destinations;
        OwnerLookup ownerLookup;
        double scanMillis;

        Builder(Path procRoot, Path netRoot, long pid) {
            this.procRoot = procRoot;
            this.netRoot = netRoot;
            this.pid = pid;
        }
    }

    // ---- what was read -------------------------------------------------------------------------

    /** The proc root: {@code /proc}, or recorded files. */
    public Path procRoot() {
        return procRoot;
    }

    /** Where the socket tables were read from: the proc root, or {@code <proc>/<pid>} for another process's namespace. */
    public Path netRoot() {
        return netRoot;
    }

    /** The process whose namespace was read; -1 for this command's own. */
    public long pid() {
        return pid;
    }

    /** How the sysctls were read when not from this namespace's own files ({@code nsenter}, or why not); null otherwise. */
    public String sysctlsHow() {
        return sysctlsHow;
    }

    /**
     * What could not be read, with why, in reading order: sysctls by full name
     * ({@code net.ipv4.tcp_tw_reuse} → {@code garbled: "two"}), socket tables by path. What is
     * here is shown as unknown, never as a default.
     */
    public Map<String, String> unread() {
        return unread;
    }

    /**
     * Why the budget, the hold time and the what-ifs cannot be computed, or null when they can:
     * the socket tables (the listeners, the ports in use), or a sysctl of the budget or the hold
     * time could not be read.
     */
    public String unjudgedReason() {
        if (!available()) {
            return "the socket tables could not be read";
        }
        List<String> names = new ArrayList<>();
        for (String name : Sysctls.MODEL) {
            if (unread.containsKey(Sysctls.fullName(name))) {
                names.add(Sysctls.fullName(name));
            }
        }
        return names.isEmpty() ? null : String.join(", ", names) + " could not be read";
    }

    /** Why the port budget is unknown, or null when it is known. */
    public String budgetUnknownReason() {
        if (!available()) {
            return "the socket tables could not be read (they show the listening ports in the range)";
        }
        List<String> names = new ArrayList<>();
        for (String name : List.of(Sysctls.PORT_RANGE, Sysctls.RESERVED_PORTS)) {
            if (unread.containsKey(Sysctls.fullName(name))) {
                names.add(Sysctls.fullName(name));
            }
        }
        return names.isEmpty() ? null : String.join(" and ", names) + " could not be read";
    }

    /** Whether the socket tables could be read; the sysctls are reported either way. */
    public boolean available() {
        return unavailableReason == null;
    }

    /** Why the socket tables could not be read, or null. */
    public String unavailableReason() {
        return unavailableReason;
    }

    /** {@code readlink <proc>/self/ns/net}, {@code net:[4026531840]}; null when unreadable. */
    public String networkNamespace() {
        return networkNamespace;
    }

    /** How long reading everything took, in milliseconds. */
    public double scanMillis() {
        return scanMillis;
    }

    // ---- sysctls (-1: could not be read) -----------------------------------------------------------

    public int portRangeLow() {
        return sysctls.portRangeLow();
    }

    public int portRangeHigh() {
        return sysctls.portRangeHigh();
    }

    /** {@code ip_local_reserved_ports} as the kernel prints it (empty: none), or null when unreadable. */
    public String reservedPortsText() {
        return sysctls.reservedPortsText();
    }

    /** Reserved ports in [low, high], each once; -1 when the list is unknown. */
    public int reservedIn(int low, int high) {
        return sysctls.reservedInRange(low, high);
    }

    /** {@code tcp_tw_reuse}: 0 off, 1 on, 2 loopback only; -1 unknown. */
    public int twReuse() {
        return sysctls.twReuse();
    }

    /**
     * {@code tcp_tw_reuse_delay} in ms; {@link HoldTime#NO_DELAY_SYSCTL} (-2) where the kernel has
     * none (before Linux 6.14: a fixed second); -1 unknown.
     */
    public int twReuseDelayMillis() {
        return sysctls.twReuseDelayMillis();
    }

    /** {@code tcp_timestamps}; -1 unknown. */
    public int timestamps() {
        return sysctls.timestamps();
    }

    /** {@code tcp_max_tw_buckets}; -1 unknown. */
    public int maxTwBuckets() {
        return sysctls.maxTwBuckets();
    }

    /** {@code tcp_fin_timeout} in seconds; -1 unknown. */
    public int finTimeoutSeconds() {
        return sysctls.finTimeoutSeconds();
    }

    // ---- sockets -------------------------------------------------------------------------------

    /** Sockets in both tables. */
    public int sockets() {
        return sockets;
    }

    /** Lines of the tables that could not be parsed. */
    public int malformedLines() {
        return malformedLines;
    }

    /** Sockets by state name ({@code ESTABLISHED}, {@code TIME_WAIT}, ...), kernel order, non-zero only. */
    public Map<String, Integer> states() {
        return states;
    }

    public int timeWait() {
        return stateCounts[TcpState.TIME_WAIT.code()];
    }

    public int established() {
        return stateCounts[TcpState.ESTABLISHED.code()];
    }

    public int closeWait() {
        return stateCounts[TcpState.CLOSE_WAIT.code()];
    }

    public int listening() {
        return stateCounts[TcpState.LISTEN.code()];
    }

    /** {@code /proc/net/sockstat}'s {@code tw}: the kernel's own TIME_WAIT count; -1 unknown. */
    public long sockStatTimeWait() {
        return sockStatTimeWait;
    }

    /** {@code TcpExt: TCPTimeWaitOverflow} since boot: TIME_WAIT sockets destroyed at the bucket limit; -1 unknown. */
    public long timeWaitOverflows() {
        return timeWaitOverflows;
    }

    /** Distinct listening ports in [low, high] that are not reserved: each is taken from every destination. */
    public int listeningPortsIn(int low, int high) {
        int n = 0;
        for (int p = listeningPorts.nextSetBit(Math.max(0, low)); p >= 0 && p <= high;
             p = listeningPorts.nextSetBit(p + 1)) {
            if (!sysctls.isReserved(p)) {
                n++;
            }
        }
        return n;
    }

    /** The first few listening ports in [low, high], for a message. */
    public List<Integer> listeningPortsSample(int low, int high, int max) {
        List<Integer> ports = new ArrayList<>();
        for (int p = listeningPorts.nextSetBit(Math.max(0, low)); p >= 0 && p <= high && ports.size() < max;
             p = listeningPorts.nextSetBit(p + 1)) {
            if (!sysctls.isReserved(p)) {
                ports.add(p);
            }
        }
        return ports;
    }

    /**
     * Ports a plain connect toward one destination could use with the range [low, high]: its ports,
     * less the reserved ones, less the listening ports in it; -1 when the reserved ports or the
     * socket tables (the listeners) are unknown, or the range is not one.
     */
    public long budget(int low, int high) {
        int reserved = low < 0 || high < low ? -1 : reservedIn(low, high);
        if (reserved < 0 || !available()) {
            return -1;
        }
        return Math.max(0, (long) high - low + 1 - reserved - listeningPortsIn(low, high));
    }

    /** {@link #budget(int, int)} for the current range; -1 when unknown: see {@link #budgetUnknownReason()}. */
    public long budget() {
        return budget(portRangeLow(), portRangeHigh());
    }

    /** The busiest destinations, most ephemeral ports in use first. */
    public List<DestinationLoad> destinations() {
        return destinations;
    }

    /** Distinct remote endpoints with ephemeral ports in use toward them (shown or not). */
    public int destinationCount() {
        return destinationCount;
    }

    /** How far the owner lookup over {@code /proc/<pid>/fd} got. */
    public OwnerLookup ownerLookup() {
        return ownerLookup;
    }
}
