package io.ephemera.kernel;

import io.ephemera.analysis.PortBudget;
import io.ephemera.track.CallSite;
import io.ephemera.track.Destination;
import io.ephemera.track.Peer;

import java.util.Map;

/**
 * What the kernel showed at the last census, joined with this JVM's connections. Immutable;
 * replaced whole by each census pass, read without locks.
 */
public final class KernelView {

    /** The kernel's sockets toward one destination of this JVM. */
    public record DestinationUse(long portsInUse, long timeWait, long ownedTimeWait) {
        static final DestinationUse NONE = new DestinationUse(0, 0, 0);
    }

    /** The kernel's sockets attributed to one call site. */
    public record SiteUse(long ownedTimeWait, long closeWait) {
        static final SiteUse NONE = new SiteUse(0, 0);
    }

    static final KernelView NOT_YET = new KernelView(false, "no census yet", 0, 0, 0, 0, null, 0, 0, 0, 0, 0,
            Map.of(), Map.of(), Map.of());

    private final boolean available;
    private final String unavailableReason;
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

    KernelView(boolean available, String unavailableReason, long scannedAtMillis, double scanMillis, int sockets,
               int malformedLines, Sysctls sysctls, int listenersInRange, int boundInRange, long timeWait,
               long ownedTimeWait, long ownedCloseWait, Map<Destination, DestinationUse> destinations,
               Map<CallSite, SiteUse> sites, Map<Peer, Long> peerTimeWait) {
        this.available = available;
        this.unavailableReason = unavailableReason;
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
        KernelView v = new KernelView(available, unavailableReason, scannedAtMillis, scanMillis, sockets, malformedLines,
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

    /** Whether /proc could be read; when false every count here is 0. */
    public boolean available() {
        return available;
    }

    /** Why the census is unavailable, or null. */
    public String unavailableReason() {
        return unavailableReason;
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

    /** TIME_WAIT sockets in this network namespace, any process. */
    public long timeWait() {
        return timeWait;
    }

    /** TIME_WAIT sockets left by connections this JVM closed first. */
    public long ownedTimeWait() {
        return ownedTimeWait;
    }

    /** This JVM's sockets in CLOSE_WAIT: the peer closed, the application did not. */
    public long ownedCloseWait() {
        return ownedCloseWait;
    }

    public int portRangeLow() {
        return sysctls == null ? -1 : sysctls.portRangeLow();
    }

    public int portRangeHigh() {
        return sysctls == null ? -1 : sysctls.portRangeHigh();
    }

    /** {@code "32768-60999"}, or empty when unknown. */
    public String portRange() {
        return sysctls == null || sysctls.portRangeLow() < 0 ? "" : sysctls.portRangeLow() + "-" + sysctls.portRangeHigh();
    }

    /** Reserved ports inside the ephemeral range. */
    public int reservedInRange() {
        return sysctls == null || sysctls.portRangeLow() < 0 ? 0
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

    /** {@code tcp_tw_reuse_delay} in ms; -1 where the kernel has none (before 6.14: one second). */
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
     * ports held by bound sockets. 0 when the range is unknown.
     */
    public long portBudget() {
        if (sysctls == null || sysctls.portRangeLow() < 0) {
            return 0;
        }
        return PortBudget.usable(sysctls.portRangeLow(), sysctls.portRangeHigh(), reservedInRange(),
                listenersInRange + boundInRange);
    }

    public DestinationUse destination(Destination d) {
        return destinations.getOrDefault(d, DestinationUse.NONE);
    }

    public SiteUse site(CallSite s) {
        return sites.getOrDefault(s, SiteUse.NONE);
    }

    /** TIME_WAIT sockets on this side left by connections from {@code p} that this JVM closed first. */
    public long ownedTimeWait(Peer p) {
        return peerTimeWait.getOrDefault(p, 0L);
    }
}
