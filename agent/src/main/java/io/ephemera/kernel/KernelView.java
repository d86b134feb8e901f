package io.ephemera.kernel;

import io.ephemera.analysis.PortBudget;
import io.ephemera.track.CallSite;
import io.ephemera.track.Destination;
import io.ephemera.track.Peer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the kernel showed at the last census, joined with this JVM's connections. Immutable;
 * replaced whole by each census pass, read without locks.
 */
public final class KernelView {

    /** A count the kernel did not give. */
    public static final long UNKNOWN = -1;

    /**
     * The kernel's sockets toward one destination of this JVM; -1 each when unknown.
     * {@code connectsAtScan}: this JVM's connects toward it counted just before the tables were
     * read (0 for a destination first seen since): the connects after it hold ports the scan did
     * not see, and the forecast adds them.
     */
    public record DestinationUse(long portsInUse, long timeWait, long ownedTimeWait, long connectsAtScan) {
        static final DestinationUse NONE = new DestinationUse(0, 0, 0, 0);
        static final DestinationUse UNKNOWN = new DestinationUse(-1, -1, -1, 0);
    }

    /** The kernel's sockets attributed to one call site; -1 each when unknown. */
    public record SiteUse(long ownedTimeWait, long closeWait) {
        static final SiteUse NONE = new SiteUse(0, 0);
        static final SiteUse UNKNOWN = new SiteUse(-1, -1);
    }

    static final KernelView NOT_YET = new KernelView(false, "no census yet", Map.of("census", "no census yet"), 0,
            0, 0, 0, null, 0, 0, 0, 0, 0, Map.of(), Map.of(), Map.of());

    private final boolean available;
    private final String unavailableReason;
    private final Map<String, String> unread;
    private final long scannedAtMillis;
    private final double scanMillis;
    private final int sockets;
    private final int malformedLines;
    private final Sysctls sysctls;
    private final int listenersInRange;
    private final int boundInRange;
    private final long timeWait;
    private final long ownedTimeWait;
    private final long ownedCloseWait;
    private final Map<Destination, DestinationUse> destinations;
    private final Map<CallSite, SiteUse> sites;
    private final Map<Peer, Long> peerTimeWait;
    /** Set once by the census before the view is published (a volatile write), never after. */
    private Unseen unseen = Unseen.NONE;

    /**
     * @param unread what the census could not read and why: sysctls by full name
     *               ({@code net.ipv4.ip_local_port_range}), socket tables by path
     */
    KernelView(boolean available, String unavailableReason, Map<String, String> unread, long scannedAtMillis,
               double scanMillis, int sockets, int malformedLines, Sysctls sysctls, int listenersInRange,
               int boundInRange, long timeWait, long ownedTimeWait, long ownedCloseWait,
               Map<Destination, DestinationUse> destinations, Map<CallSite, SiteUse> sites, Map<Peer, Long> peerTimeWait) {
        this.available = available;
        this.unavailableReason = unavailableReason;
        this.unread = Collections.unmodifiableMap(new LinkedHashMap<>(unread));
        this.scannedAtMillis = scannedAtMillis;
        this.scanMillis = scanMillis;
        this.sockets = sockets;
        this.malformedLines = malformedLines;
        this.sysctls = sysctls;
        this.listenersInRange = listenersInRange;
        this.boundInRange = boundInRange;
        this.timeWait = timeWait;
        this.ownedTimeWait = ownedTimeWait;
        this.ownedCloseWait = ownedCloseWait;
        this.destinations = destinations;
        this.sites = sites;
        this.peerTimeWait = peerTimeWait;
    }

    /** This view with the namespace's TIME_WAIT total from {@code /proc/net/sockstat}, read between full scans. */
    KernelView withTimeWait(long total) {
        KernelView v = new KernelView(available, unavailableReason, unread, scannedAtMillis, scanMillis, sockets, malformedLines,
                sysctls, listenersInRange, boundInRange, total, ownedTimeWait, ownedCloseWait, destinations, sites,
                peerTimeWait);
        v.unseen = unseen;
        return v;
    }

    /** This view with the sockets no hook saw; called before the view is published. */
    KernelView withUnseen(Unseen u) {
        this.unseen = u;
        return this;
    }

    /** The TCP sockets of this JVM that no hook saw, at the last full scan. */
    public Unseen unseen() {
        return unseen;
    }

    /** Whether the socket tables could be read; when false every count from them is unknown (-1). */
    public boolean available() {
        return available;
    }

    /**
     * Whether some of what the figures here need could not be read: the socket tables, or a
     * sysctl of the budget or the hold time. The figures that need it are then unknown.
     */
    public boolean partial() {
        return !unread.isEmpty();
    }

    /**
     * What could not be read, with why, in reading order: sysctls by full name
     * ({@code net.ipv4.ip_local_port_range}), socket tables by path; empty when nothing is missing.
     */
    public Map<String, String> unread() {
        return unread;
    }

    /** Why the census is unavailable, or null. */
    public String unavailableReason() {
        return unavailableReason;
    }

    /** What could not be read, one clause each: {@code net.ipv4.tcp_tw_reuse (garbled: "two"), ...}; empty when nothing. */
    public String describeUnread() {
        return Census.describe(unread);
    }

    /** When the last full scan ended, {@link System#currentTimeMillis()}; 0 before the first. */
    public long scannedAtMillis() {
        return scannedAtMillis;
    }

    /** How long the last full scan took, in milliseconds. */
    public double scanMillis() {
        return scanMillis;
    }

    /** Sockets in the last full scan. */
    public int sockets() {
        return sockets;
    }

    /** Lines of /proc/net/tcp{,6} that could not be parsed in the last scan. */
    public int malformedLines() {
        return malformedLines;
    }

    /** TIME_WAIT sockets in this network namespace, any process; -1 without the socket tables. */
    public long timeWait() {
        return available ? timeWait : UNKNOWN;
    }

    /** TIME_WAIT sockets left by connections this JVM closed first; -1 without the socket tables. */
    public long ownedTimeWait() {
        return available ? ownedTimeWait : UNKNOWN;
    }

    /** This JVM's sockets in CLOSE_WAIT: the peer closed, the application did not; -1 without the socket tables. */
    public long ownedCloseWait() {
        return available ? ownedCloseWait : UNKNOWN;
    }

    /** {@code ip_local_port_range}'s first port; -1 unknown. */
    public int portRangeLow() {
        return sysctls == null ? -1 : sysctls.portRangeLow();
    }

    /** {@code ip_local_port_range}'s last port; -1 unknown. */
    public int portRangeHigh() {
        return sysctls == null ? -1 : sysctls.portRangeHigh();
    }

    /** {@code "32768-60999"}, or empty when unknown. */
    public String portRange() {
        return sysctls == null || sysctls.portRangeLow() < 0 ? "" : sysctls.portRangeLow() + "-" + sysctls.portRangeHigh();
    }

    /** Reserved ports inside the ephemeral range; -1 when the range or the reserved ports are unknown. */
    public int reservedInRange() {
        return sysctls == null || sysctls.portRangeLow() < 0 ? -1
                : sysctls.reservedInRange(sysctls.portRangeLow(), sysctls.portRangeHigh());
    }

    /** Listening sockets whose port is inside the ephemeral range: each takes it from every destination. */
    public int listenersInRange() {
        return listenersInRange;
    }

    /** Ports in the range held by sockets this JVM bound before connecting. */
    public int boundInRange() {
        return boundInRange;
    }

    /** {@code tcp_tw_reuse}: 0 off, 1 on, 2 loopback only; -1 unknown. */
    public int twReuse() {
        return sysctls == null ? -1 : sysctls.twReuse();
    }

    /**
     * {@code tcp_tw_reuse_delay} in ms; {@link io.ephemera.analysis.HoldTime#NO_DELAY_SYSCTL} (-2)
     * where the kernel has none (before 6.14: one second); -1 unknown.
     */
    public int twReuseDelayMillis() {
        return sysctls == null ? -1 : sysctls.twReuseDelayMillis();
    }

    /** {@code tcp_timestamps}; -1 unknown. */
    public int timestamps() {
        return sysctls == null ? -1 : sysctls.timestamps();
    }

    /** {@code tcp_max_tw_buckets}; -1 unknown. */
    public int maxTwBuckets() {
        return sysctls == null ? -1 : sysctls.maxTwBuckets();
    }

    /**
     * Ports a plain connect toward one destination can use: the range, less reserved ports, less
     * ports held by bound sockets. {@link PortBudget#UNKNOWN} (-1) when the range or the reserved
     * ports are unknown, or the socket tables (which show the listeners) could not be read.
     */
    public long portBudget() {
        int reserved = reservedInRange();
        if (!available || reserved < 0) {
            return PortBudget.UNKNOWN;
        }
        return PortBudget.usable(sysctls.portRangeLow(), sysctls.portRangeHigh(), reserved,
                listenersInRange + boundInRange);
    }

    /**
     * The kernel's sockets toward {@code d}. Without the socket tables every count is -1; without
     * the port range, so no way to tell an ephemeral port, the ports in use and TIME_WAIT are -1.
     */
    public DestinationUse destination(Destination d) {
        if (!available) {
            return DestinationUse.UNKNOWN;
        }
        DestinationUse use = destinations.getOrDefault(d, DestinationUse.NONE);
        if (portRangeLow() < 0) {
            return new DestinationUse(UNKNOWN, UNKNOWN, use.ownedTimeWait(), use.connectsAtScan());
        }
        return use;
    }

    /** The kernel's sockets of call site {@code s}; -1 each without the socket tables. */
    public SiteUse site(CallSite s) {
        return available ? sites.getOrDefault(s, SiteUse.NONE) : SiteUse.UNKNOWN;
    }

    /** TIME_WAIT sockets on this side left by connections from {@code p} that this JVM closed first; -1 unknown. */
    public long ownedTimeWait(Peer p) {
        return available ? peerTimeWait.getOrDefault(p, 0L) : UNKNOWN;
    }
}
