package io.ephemera.kernel;

import io.ephemera.track.CallSite;
import io.ephemera.track.Connection;
import io.ephemera.track.Destination;
import io.ephemera.track.Peer;
import io.ephemera.track.Tracker;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads the kernel's view of TCP and joins it with the tracker's connections, on its own daemon
 * thread ({@code ephemera-census}), never on the application's. A kernel socket whose inode is one
 * of this process's descriptors is this JVM's; a TIME_WAIT socket (no inode: no process owns it)
 * is this JVM's when its 4-tuple is that of a connection this JVM closed within the last 60 s.
 *
 * <p>Cost: the kernel spends about 1.7 µs per socket producing {@code /proc/net/tcp6}; the full
 * scan runs at {@code census.interval} but never more often than 100 times its own CPU time (the
 * cheapest of the last three scans, after five that warm the JIT), so it stays under 1% of one
 * core on a large table.
 */
public final class Census implements Runnable {

    /** The full scan takes at most this share of one core. */
    static final int MAX_DUTY_DIVISOR = 100;
    /** However large the table, a full scan at least this often. */
    private static final long MAX_FULL_SCAN_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Full scans that never widen the interval, whatever they cost: class loading and a cold JIT. */
    static final int WARM_UP_SCANS = 5;
    /** The cost of a scan is the cheapest of this many. */
    static final int RECENT_SCANS = 3;
    private static final long TIME_WAIT_NANOS = TimeUnit.SECONDS.toNanos(61); // 60 s and a second of slack

    private final Path procRoot;
    private final long intervalMillis;
    private final Tracker tracker;
    private final Consumer<String> log;
    private final ProcNetTcpParser parser = new ProcNetTcpParser();
    private volatile KernelView view = KernelView.NOT_YET;
    private volatile long passes;
    private volatile long lastPassEndMillis;
    private boolean unavailableLogged;
    private boolean partialLogged;
    private volatile Runnable beforePass = () -> { };
    /** This JVM's sockets when the agent was attached (or reset): not unseen. Null before {@link #markPreexisting()}. */
    private volatile SocketInodes preexisting;
    private long resetsSeen;
    /** Sockets the last full scan found unseen: one more pass unseen and they count. Census thread only. */
    private LongHashSet unseenLastPass = new LongHashSet();

    public Census(Path procRoot, long intervalMillis, Tracker tracker, Consumer<String> log) {
        this.procRoot = procRoot;
        this.intervalMillis = intervalMillis;
        this.tracker = tracker;
        this.log = log;
    }

    /** The latest view; never null. */
    public KernelView view() {
        return view;
    }

    /** When the last pass ended ({@link System#currentTimeMillis()}); to tell a stale census. */
    public long lastPassEndMillis() {
        return lastPassEndMillis;
    }

    public long passes() {
        return passes;
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    /**
     * Remembers the sockets this JVM holds now, before the hooks saw anything: they are
     * preexisting, never unseen. Called once, right after the hooks are installed.
     */
    public void markPreexisting() {
        preexisting = SocketInodes.ofSelf(procRoot);
    }

    /** Runs at the start of every pass, inside its failure policy; the agent's fault tests use it. */
    public void beforePass(Runnable task) {
        this.beforePass = task;
    }

    @Override
    public void run() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpuTime = threads.isCurrentThreadCpuTimeSupported();
        long nextFullScan = 0;
        long fullScans = 0;
        long[] recentCosts = new long[RECENT_SCANS];
        while (!Thread.currentThread().isInterrupted()) {
            long start = System.nanoTime();
            try {
                beforePass.run();
                if (start - nextFullScan >= 0) {
                    long cpu0 = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
                    KernelView v = scan();
                    view = v;
                    long took = cpuTime ? threads.getCurrentThreadCpuTime() - cpu0 : System.nanoTime() - start;
                    recentCosts[(int) (fullScans++ % RECENT_SCANS)] = took;
                    long widened = Math.min(MAX_FULL_SCAN_NANOS, scanCost(recentCosts, fullScans) * MAX_DUTY_DIVISOR);
                    nextFullScan = start + Math.max(TimeUnit.MILLISECONDS.toNanos(intervalMillis), widened);
                    if (!v.available() && !unavailableLogged) {
                        unavailableLogged = true;
                        log.accept("the kernel's view is unavailable (" + v.unavailableReason()
                                + "): CensusAvailable is false; connections are still tracked");
                    } else if (v.available() && v.partial() && !partialLogged) {
                        partialLogged = true;
                        log.accept("the kernel's view is partial, could not read " + describe(v.unread())
                                + ": CensusPartial is true; the figures that need it are unknown, never guessed");
                    }
                } else if (view.available()) {
                    // between full scans the kernel's own TIME_WAIT counter keeps the total current
                    long tw = SockStat.read(procRoot).timeWait();
                    if (tw >= 0) {
                        view = view.withTimeWait(tw);
                    }
                }
                passes++;
                lastPassEndMillis = System.currentTimeMillis();
            } catch (Throwable t) {
                tracker.agentError(t);
            }
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** {@code net.ipv4.tcp_tw_reuse (garbled: "two"), ...}. */
    static String describe(Map<String, String> unread) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : unread.entrySet()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(e.getKey()).append(" (").append(e.getValue()).append(')');
        }
        return b.toString();
    }

    /**
     * What a full scan of this table costs: the cheapest of the last few, since a slow one says
     * more of a cold JIT or a busy machine than of the table; 0 while the JIT is still cold (the
     * first passes pay for class loading and interpretation and must not stretch the interval of
     * the passes that would show it).
     */
    static long scanCost(long[] recentCosts, long fullScans) {
        if (fullScans <= WARM_UP_SCANS) {
            return 0;
        }
        long min = Long.MAX_VALUE;
        for (long c : recentCosts) {
            min = Math.min(min, c);
        }
        return min;
    }

    /** One full pass: reads the sysctls and both socket tables, and joins them with the tracker. */
    public KernelView scan() {
        long t0 = System.nanoTime();
        Path tcp = procRoot.resolve("net/tcp");
        Path tcp6 = procRoot.resolve("net/tcp6");
        Sysctls sysctls = Sysctls.read(procRoot);
        if (!Files.isReadable(tcp) && !Files.isReadable(tcp6)) {
            return unavailable("cannot read " + tcp + " or " + tcp6, sysctls);
        }
        long resets = tracker.resets();
        SocketInodes mine = SocketInodes.ofSelf(procRoot);
        if (resets != resetsSeen) {
            resetsSeen = resets;
            preexisting = mine; // a reset forgot every open connection: as if attached now
        }
        long nowNanos = System.nanoTime();

        List<Connection> live = tracker.connections();
        List<Connection> closed = tracker.recentCloses();
        TupleIndex liveIndex = index(live, 0);
        TupleIndex closedIndex = index(closed, nowNanos);

        // each destination's connects before the tables are read: those after hold ports the tables may miss,
        // and the forecast adds them (read after, a connect in between would be in neither)
        List<Destination> tracked = tracker.destinations();
        long[] connectsBefore = new long[tracked.size()];
        for (int i = 0; i < connectsBefore.length; i++) {
            connectsBefore[i] = tracked.get(i).stats().connects();
        }
        Join join = new Join(sysctls, mine, liveIndex, closedIndex, preexisting, unseenLastPass);
        TcpScan v4 = parser.scan(tcp, join);
        TcpScan v6 = parser.scan(tcp6, join);
        if (!v4.available() && !v6.available()) {
            return unavailable(String.valueOf(v4.error()), sysctls);
        }
        Map<String, String> unread = unread(sysctls);
        table(tcp, v4, unread);
        table(tcp6, v6, unread);

        Map<Destination, KernelView.DestinationUse> destinations = new IdentityHashMap<>();
        for (int i = 0; i < connectsBefore.length; i++) {
            Destination d = tracked.get(i);
            if (d.address() == null) {
                continue;
            }
            long hi = KernelSocket.hi(d.address());
            long lo = KernelSocket.lo(d.address());
            destinations.put(d, new KernelView.DestinationUse(
                    join.endpoints.get(hi, lo, d.port(), EndpointTally.IN_USE),
                    join.endpoints.get(hi, lo, d.port(), EndpointTally.TIME_WAIT),
                    join.ownedTimeWaitByDestination.get(d), connectsBefore[i]));
        }
        Map<CallSite, KernelView.SiteUse> sites = new IdentityHashMap<>();
        for (CallSite s : tracker.callSites()) {
            long tw = join.ownedTimeWaitBySite.get(s);
            long cw = join.closeWaitBySite.get(s);
            if (tw + cw > 0) {
                sites.put(s, new KernelView.SiteUse(tw, cw));
            }
        }
        Map<Peer, Long> peers = new IdentityHashMap<>();
        for (Peer p : tracker.peers()) {
            long tw = join.ownedTimeWaitByPeer.get(p);
            if (tw > 0) {
                peers.put(p, tw);
            }
        }
        unseenLastPass = join.unseenNow;
        double millis = (System.nanoTime() - t0) / 1e6;
        return new KernelView(true, null, unread, System.currentTimeMillis(), millis, v4.sockets() + v6.sockets(),
                v4.malformedLines() + v6.malformedLines(), sysctls, join.listenersInRange, join.boundInRange,
                join.timeWait, join.ownedTimeWait, join.ownedCloseWait, destinations, sites, peers)
                .withUnseen(unseen(join));
    }

    /** The unseen sockets the join found, their destinations interned among the tracker's own. */
    private Unseen unseen(Join join) {
        if (join.unseen == 0 && join.preexistingCount == 0) {
            return Unseen.NONE;
        }
        Map<Destination, Long> byDestination = new IdentityHashMap<>();
        for (Map.Entry<UnseenEndpoint, long[]> e : join.unseenOutbound.entrySet()) {
            UnseenEndpoint p = e.getKey();
            Destination d = tracker.destination(KernelSocket.address(p.hi(), p.lo()), p.port());
            if (d != null) {
                byDestination.merge(d, e.getValue()[0], Long::sum);
            }
        }
        return new Unseen(join.unseen, join.preexistingCount, byDestination, Map.copyOf(join.unseenInbound));
    }

    /** The remote end of an unseen outbound socket. */
    private record UnseenEndpoint(long hi, long lo, int port) {
    }

    private KernelView unavailable(String reason, Sysctls sysctls) {
        Map<String, String> unread = unread(sysctls);
        unread.put(procRoot.resolve("net/tcp").toString(), reason);
        unread.put(procRoot.resolve("net/tcp6").toString(), reason);
        return new KernelView(false, reason, unread, System.currentTimeMillis(), 0, 0, 0, sysctls, 0, 0, 0, 0, 0,
                Map.of(), Map.of(), Map.of());
    }

    /** The sysctls of the model that could not be read, by full name, with why. */
    private static Map<String, String> unread(Sysctls sysctls) {
        Map<String, String> unread = new LinkedHashMap<>();
        for (String name : Sysctls.MODEL) {
            String why = sysctls.unread().get(Sysctls.fullName(name));
            if (why != null) {
                unread.put(Sysctls.fullName(name), why);
            }
        }
        return unread;
    }

    /**
     * A table that failed while the other was read: the counts are short of its sockets. A table
     * that does not exist at all (IPv6 disabled in the kernel) holds no socket and is not missing.
     */
    private static void table(Path file, TcpScan scan, Map<String, String> unread) {
        if (!scan.available() && Files.exists(file)) {
            unread.put(file.toString(), String.valueOf(scan.error()));
        }
    }

    /** Indexes connections by tuple; with {@code nowNanos} > 0 only those closed within TIME_WAIT. */
    private static TupleIndex index(List<Connection> connections, long nowNanos) {
        TupleIndex index = new TupleIndex(connections.size());
        // most connections share a few remote addresses: convert each address once
        Map<InetAddress, long[]> keys = new HashMap<>();
        InetAddress lastAddress = null;
        long[] last = null;
        for (Connection c : connections) {
            InetAddress remote = c.remoteAddress();
            if (remote == null || c.localPort() <= 0) {
                continue;
            }
            if (nowNanos > 0 && nowNanos - c.closeNanos() > TIME_WAIT_NANOS) {
                continue;
            }
            if (remote != lastAddress) {
                lastAddress = remote;
                last = keys.computeIfAbsent(remote, a -> new long[] {KernelSocket.hi(a), KernelSocket.lo(a)});
            }
            index.put(TupleIndex.fingerprint(c.localPort(), last[0], last[1], c.remotePort()), c);
        }
        return index;
    }

    /** Visits every kernel socket once and keeps the counts; allocation-free per socket. */
    private static final class Join implements ProcNetTcpParser.Visitor {
        final int low;
        final int high;
        final SocketInodes mine;
        final TupleIndex live;
        final TupleIndex closed;
        final Sysctls sysctls;
        /** Listening ports: a v4 and a v6 listener on one port hold one port, and connections accepted there are not ephemeral. */
        final java.util.BitSet listening = new java.util.BitSet(65_536);
        final EndpointTally endpoints = new EndpointTally();
        final Tally<CallSite> ownedTimeWaitBySite = new Tally<>();
        final Tally<Destination> ownedTimeWaitByDestination = new Tally<>();
        final Tally<Peer> ownedTimeWaitByPeer = new Tally<>();
        final Tally<CallSite> closeWaitBySite = new Tally<>();
        int listenersInRange;
        int boundInRange;
        long timeWait;
        long ownedTimeWait;
        long ownedCloseWait;

        final SocketInodes preexisting;
        final LongHashSet unseenBefore;
        final LongHashSet unseenNow = new LongHashSet();
        final Map<UnseenEndpoint, long[]> unseenOutbound = new HashMap<>();
        final Map<Integer, Long> unseenInbound = new HashMap<>();
        long unseen;
        long preexistingCount;

        Join(Sysctls sysctls, SocketInodes mine, TupleIndex live, TupleIndex closed, SocketInodes preexisting,
             LongHashSet unseenBefore) {
            this.preexisting = preexisting;
            this.unseenBefore = unseenBefore;
            this.sysctls = sysctls;
            this.low = sysctls.portRangeLow();
            this.high = sysctls.portRangeHigh();
            this.mine = mine;
            this.live = live;
            this.closed = closed;
        }

        @Override
        public void socket(long localHi, long localLo, int localPort, long remoteHi, long remoteLo, int remotePort,
                           TcpState state, int timerType, long timerRemainingMillis, long uid, long inode) {
            boolean ephemeral = low >= 0 && localPort >= low && localPort <= high;
            if (state == TcpState.LISTEN) {
                // the kernel lists a table's listeners before its other sockets
                if (ephemeral && !listening.get(localPort) && !sysctls.isReserved(localPort)) {
                    listenersInRange++; // a reserved port is already out of the budget
                }
                listening.set(localPort);
                return;
            }
            if (listening.get(localPort)) {
                ephemeral = false; // accepted on a listening port: inbound, not drawn from the range
            }
            if (ephemeral && remotePort != 0) {
                endpoints.count(remoteHi, remoteLo, remotePort, state);
            }
            if (state == TcpState.TIME_WAIT) {
                timeWait++;
                Connection c = closed.get(TupleIndex.fingerprint(localPort, remoteHi, remoteLo, remotePort));
                if (c != null) {
                    ownedTimeWait++;
                    ownedTimeWaitBySite.add(c.site());
                    if (c.destination() != null) {
                        ownedTimeWaitByDestination.add(c.destination());
                    }
                    if (c.peer() != null) {
                        ownedTimeWaitByPeer.add(c.peer());
                    }
                    if (ephemeral && c.site().bindsFirst()) {
                        boundInRange++;
                    }
                }
                return;
            }
            if (inode == 0 || !mine.contains(inode)) {
                return;
            }
            Connection c = live.get(TupleIndex.fingerprint(localPort, remoteHi, remoteLo, remotePort));
            if (c != null && ephemeral && c.site().bindsFirst()) {
                boundInRange++;
            }
            if (c == null && state != TcpState.SYN_SENT) {
                notSeen(localPort, remoteHi, remoteLo, remotePort, inode);
            }
            if (state == TcpState.CLOSE_WAIT) {
                ownedCloseWait++;
                if (c != null) {
                    closeWaitBySite.add(c.site());
                }
            }
        }

        /** A socket of this JVM with no connection of the tracker on its 4-tuple. */
        private void notSeen(int localPort, long remoteHi, long remoteLo, int remotePort, long inode) {
            if (preexisting == null || preexisting.contains(inode)) {
                preexistingCount++; // open before the hooks were in place (or before the first census could tell)
                return;
            }
            unseenNow.add(inode);
            if (!unseenBefore.contains(inode)) {
                return; // may be a connection whose hook has not recorded it yet: counted if still unseen next pass
            }
            unseen++;
            if (listening.get(localPort)) {
                unseenInbound.merge(localPort, 1L, Long::sum);
            } else {
                unseenOutbound.computeIfAbsent(new UnseenEndpoint(remoteHi, remoteLo, remotePort), k -> new long[1])[0]++;
            }
        }
    }

    /**
     * Counts per key without boxing; consecutive sockets mostly belong to the same call site, so
     * the last key's counter is kept at hand.
     */
    private static final class Tally<K> {
        private final Map<K, long[]> counts = new IdentityHashMap<>();
        private K lastKey;
        private long[] last;

        void add(K key) {
            if (key != lastKey) {
                lastKey = key;
                last = counts.computeIfAbsent(key, k -> new long[1]);
            }
            last[0]++;
        }

        long get(K key) {
            long[] c = counts.get(key);
            return c == null ? 0 : c[0];
        }
    }
}
