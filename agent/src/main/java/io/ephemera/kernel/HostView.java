package io.ephemera.kernel;

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
    private final String unavailableReason;
    private final Sysctls sysctls;
    private final String reservedPortsText;
    private final int finTimeoutSeconds;
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
        this.unavailableReason = b.unavailableReason;
        this.sysctls = b.sysctls;
        this.reservedPortsText = b.reservedPortsText;
        this.finTimeoutSeconds = b.finTimeoutSeconds;
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
        long t0 = System.nanoTime();
        Builder b = new Builder(procRoot);
        b.sysctls = Sysctls.read(procRoot);
        Path ipv4 = procRoot.resolve("sys/net/ipv4");
        String reserved = ProcFiles.readOrNull(ipv4.resolve("ip_local_reserved_ports"), ProcFiles.MAX_SMALL_FILE);
        b.reservedPortsText = reserved == null ? null : reserved.strip();
        b.finTimeoutSeconds = Sysctls.single(ProcFiles.readOrNull(ipv4.resolve("tcp_fin_timeout"),
                ProcFiles.MAX_SMALL_FILE));
        b.networkNamespace = networkNamespace(procRoot);
        b.sockStat = SockStat.read(procRoot);
        int delay = b.sysctls.twReuseDelayMillis() > 0 ? b.sysctls.twReuseDelayMillis() : 1_000;
        b.scan = new HostScan(b.sysctls.portRangeLow(), b.sysctls.portRangeHigh(), delay);
        ProcNetTcpParser parser = new ProcNetTcpParser();
        TcpScan v4 = parser.scan(procRoot.resolve("net/tcp"), b.scan);
        TcpScan v6 = parser.scan(procRoot.resolve("net/tcp6"), b.scan);
        b.malformedLines = v4.malformedLines() + v6.malformedLines();
        if (!v4.available() && !v6.available()) {
            b.unavailableReason = "cannot read " + procRoot.resolve("net/tcp") + " or " + procRoot.resolve("net/tcp6")
                    + ": " + v4.error();
        }
        BusiestDestinations busiest = BusiestDestinations.of(b.scan, top, procRoot);
        b.destinations = busiest.loads();
        b.ownerLookup = busiest.ownerLookup();
        b.scanMillis = (System.nanoTime() - t0) / 1e6;
        return new HostView(b);
    }

    /** The namespace's identity, {@code net:[4026531840]}, or null. */
    private static String networkNamespace(Path procRoot) {
        try {
            return Files.readSymbolicLink(procRoot.resolve("self/ns/net")).toString();
        } catch (Exception e) {
            return null;
        }
    }

    private static final class Builder {
        final Path procRoot;
        String unavailableReason;
        Sysctls sysctls;
        String reservedPortsText;
        int finTimeoutSeconds;
        String networkNamespace;
        SockStat sockStat;
        HostScan scan;
        int malformedLines;
        List<DestinationLoad> destinations;
        OwnerLookup ownerLookup;
        double scanMillis;

        Builder(Path procRoot) {
            this.procRoot = procRoot;
        }
    }

    // ---- what was read -------------------------------------------------------------------------

    /** Where it was read from. */
    public Path procRoot() {
        return procRoot;
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
        return reservedPortsText;
    }

    /** Reserved ports in [low, high], each once; -1 when the list is unknown. */
    public int reservedIn(int low, int high) {
        return sysctls.reservedInRange(low, high);
    }

    /** {@code tcp_tw_reuse}: 0 off, 1 on, 2 loopback only; -1 unknown. */
    public int twReuse() {
        return sysctls.twReuse();
    }

    /** {@code tcp_tw_reuse_delay} in ms; -1 where the kernel has none (before Linux 6.14: a fixed second). */
    public int twReuseDelayMillis() {
        return sysctls.twReuseDelayMillis();
    }

    public int timestamps() {
        return sysctls.timestamps();
    }

    public int maxTwBuckets() {
        return sysctls.maxTwBuckets();
    }

    /** {@code tcp_fin_timeout} in seconds; -1 unknown. */
    public int finTimeoutSeconds() {
        return finTimeoutSeconds;
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
     * less the reserved ones (none when the list is unknown), less the listening ports in it.
     */
    public long budget(int low, int high) {
        if (low < 0 || high < low) {
            return 0;
        }
        int reserved = Math.max(0, reservedIn(low, high));
        return Math.max(0, (long) high - low + 1 - reserved - listeningPortsIn(low, high));
    }

    /** {@link #budget(int, int)} for the current range; 0 when the range is unknown. */
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
