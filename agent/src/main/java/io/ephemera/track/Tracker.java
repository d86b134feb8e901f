package io.ephemera.track;

import io.ephemera.config.Config;
import io.ephemera.hook.Hook;
import io.ephemera.hook.Sink;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.NetworkChannel;
import java.security.CodeSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The only mutable state on the hot path: receives every connect, accept and close from the
 * {@link Hook}, attributes it to a {@link CallSite} and a {@link Destination}, and follows each
 * open {@link Connection} until it ends.
 *
 * <p>Threading: called concurrently by every application thread that touches a socket. No global
 * lock; counters are atomic; the connection table locks one stripe for a few writes. Nothing here
 * does I/O except reading a socket's own local address, and nothing logs.
 */
public final class Tracker implements Sink {

    private final Clock clock;
    private final Config config;
    private final java.security.CodeSource agentSource;
    private final CallSiteIdentity identity;
    // replaced whole by reset(); an event racing a reset lands in the old ones, which is harmless
    private volatile CallSites sites;
    private volatile Destinations destinations;
    private volatile Peers peers;
    private volatile ConnectionTable connections;
    private volatile RecentCloses recentCloses;
    private volatile Intents intents;
    /** The call site a library's thread connects for now, between onBehalfBegin and onBehalfEnd. */
    private final ThreadLocal<CallSite> onBehalf = new ThreadLocal<>();
    private final ReferenceQueue<Object> unreachable = new ReferenceQueue<>();

    private final LongAdder connects = new LongAdder();
    private final LongAdder accepts = new LongAdder();
    private final LongAdder closes = new LongAdder();
    private final LongAdder open = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder[] failuresByCause = new LongAdder[FailureCause.values().length];
    private final LongAdder leaks = new LongAdder();
    private final LongAdder trackingDrops = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private volatile ConnectionEvents events = ConnectionEvents.NONE;
    private volatile long resets;

    public Tracker(Config config, CodeSource agentSource) {
        this(config, agentSource, Clock.SYSTEM);
    }

    /**
     * The agent's tracker: {@code inst} opens {@code java.lang} to the hook classes' module so call
     * sites can be told apart from the VM's backtrace (see {@link CallSiteIdentity}).
     */
    public Tracker(Config config, CodeSource agentSource, java.lang.instrument.Instrumentation inst) {
        this(config, agentSource, Clock.SYSTEM, opened(inst, config));
    }

    Tracker(Config config, CodeSource agentSource, Clock clock) {
        this(config, agentSource, clock, CallSiteIdentity.choose(config.callSitesBacktrace()));
    }

    Tracker(Config config, CodeSource agentSource, Clock clock, CallSiteIdentity identity) {
        this.clock = clock;
        this.config = config;
        this.agentSource = agentSource;
        this.identity = identity;
        for (int i = 0; i < failuresByCause.length; i++) {
            failuresByCause[i] = new LongAdder();
        }
        fresh();
    }

    private static CallSiteIdentity opened(java.lang.instrument.Instrumentation inst, Config config) {
        if (!config.callSitesBacktrace()) {
            return CallSiteIdentity.STACKWALKER; // java.lang left closed
        }
        CallSiteIdentity.open(inst);
        return CallSiteIdentity.choose(true);
    }

    /** How call sites are told apart in this JVM: {@code backtrace} or {@code stackwalker}. */
    public String callSiteIdentity() {
        return identity.toString();
    }

    /** Announces connections from now on to {@code events} (JFR, once it is ready). */
    public void events(ConnectionEvents events) {
        this.events = events;
    }

    private void fresh() {
        this.sites = new CallSites(config.callSitesMax(), config.stackDepth(), config.libraries(), agentSource, clock,
                identity);
        this.destinations = new Destinations(config.destinationsMax(), clock);
        this.peers = new Peers(config.destinationsMax(), clock);
        this.connections = new ConnectionTable(config.connectionsMax());
        this.recentCloses = new RecentCloses(config.closesMax());
        this.intents = new Intents(INTENTS);
    }

    /** Call sites remembered for connections libraries were asked for and have not made yet. */
    private static final int INTENTS = 8192;

    /**
     * Clears every counter, call site and destination and forgets the open connections, as if the
     * agent had just been attached: closes of connections opened before are not counted.
     */
    public synchronized void reset() {
        for (Connection c : connections.snapshot()) {
            c.clear(); // no longer followed: nothing to reap
        }
        fresh();
        for (LongAdder a : new LongAdder[] {connects, accepts, closes, open, failures, leaks, trackingDrops}) {
            a.reset();
        }
        for (LongAdder a : failuresByCause) {
            a.reset();
        }
        resets++; // under this object's lock
    }

    /** How many times {@link #reset()} ran: the census takes the sockets open then as preexisting. */
    public long resets() {
        return resets;
    }

    // ---- Sink: called on application threads ------------------------------------------------------

    @Override
    public void connected(Object owner, int api, SocketAddress remote, boolean boundFirst) {
        InetSocketAddress to = inet(remote);
        if (to == null) {
            return;
        }
        CallSite site = site(boundFirst);
        Destination d = destinations.intern(to.getAddress(), to.getPort());
        Connection c = new Connection(owner, unreachable, ConnectionTable.hash(owner), site, d, false, api,
                to.getAddress(), to.getPort(), Connection.OPEN);
        open(c, owner, api);
    }

    @Override
    public void connectFailed(Object owner, int api, SocketAddress remote, Throwable thrown, boolean boundFirst) {
        InetSocketAddress to = inet(remote);
        if (to == null) {
            return;
        }
        fail(site(boundFirst), destinations.intern(to.getAddress(), to.getPort()), FailureCause.classify(thrown));
    }

    @Override
    public void connectPending(Object owner, int api, SocketAddress remote, boolean boundFirst) {
        InetSocketAddress to = inet(remote);
        if (to == null) {
            return;
        }
        CallSite site = site(boundFirst);
        Destination d = destinations.intern(to.getAddress(), to.getPort());
        Connection c = new Connection(owner, unreachable, ConnectionTable.hash(owner), site, d, false, api,
                to.getAddress(), to.getPort(), Connection.PENDING);
        if (!connections.add(c, owner)) {
            c.clear();
            if (connections.find(owner) == null) {
                trackingDrops.increment();
            }
        }
    }

    @Override
    public void pendingConnected(Object owner) {
        Connection c = connections.find(owner);
        if (c == null || !c.transition(Connection.PENDING, Connection.OPEN)) {
            return; // finishConnect() keeps returning true once connected: only the transition counts
        }
        readLocal(c, owner, c.api);
        counted(c);
    }

    @Override
    public void pendingFailed(Object owner, Throwable thrown, boolean counted) {
        Connection c = connections.find(owner);
        if (c == null || !c.transition(Connection.PENDING, Connection.CLOSED)) {
            return;
        }
        connections.remove(c);
        c.clear();
        if (counted) {
            fail(c.site, c.destination, FailureCause.classify(thrown));
        }
    }

    @Override
    public void accepted(Object owner, int api) {
        SocketAddress from;
        if (api == Hook.API_SOCKET) {
            Socket s = (Socket) owner;
            from = s.getInetAddress() == null ? null : new InetSocketAddress(s.getInetAddress(), s.getPort());
        } else {
            from = remoteOf(owner);
        }
        acceptedFrom(owner, api, from);
    }

    @Override
    public void acceptedFrom(Object owner, int api, SocketAddress remote) {
        InetSocketAddress from = inet(remote == null && api == Hook.API_NATIVE ? NativeSockets.remoteAddress(owner)
                : remote);
        if (from == null) {
            return;
        }
        Connection c = new Connection(owner, unreachable, ConnectionTable.hash(owner), null, null, true, api,
                from.getAddress(), from.getPort(), Connection.OPEN);
        readLocal(c, owner, api);
        c.site = sites.accepting(c.localPort);
        open(c, owner, api);
    }

    @Override
    public void closed(Object owner, int api, FileDescriptor fd) {
        Connection c = connections.remove(owner);
        if (c == null) {
            return; // never connected, already closed, or opened before the agent was attached
        }
        int was = c.end();
        c.clear();
        if (was == Connection.OPEN) {
            ended(c, false);
        } else if (was == Connection.PENDING) {
            // closed while connecting: the asynchronous channel closes itself on failure, and a
            // failed finishConnect() closes its channel before it throws
            Throwable cause = api == Hook.API_ASYNC || api == Hook.API_CHANNEL ? Hook.takeConnectError(fd) : null;
            fail(c.site, c.destination, cause == null ? FailureCause.OTHER : FailureCause.classify(cause));
        }
    }

    @Override
    public void peerEnded(Object owner, boolean reset) {
        Connection c = connections.find(owner);
        if (c != null && c.peerEnding == null) {
            c.peerEnding = reset ? Peer.Ending.RESET_BY_PEER : Peer.Ending.CLOSED_BY_PEER;
        }
    }

    @Override
    public void intent(Object key) {
        Intents in = intents;
        if (in.get(key) != null) {
            return; // asked again on the way to the connect (Bootstrap, then Channel.connect): the first asker stays
        }
        CallSite behalf = onBehalf.get();
        CallSite site = behalf != null ? behalf : sites.current();
        if (site.application()) {
            in.putIfAbsent(key, site);
        } // a library's own thread asked: its connect will be attributed where it happens
    }

    @Override
    public void intentFollows(Object from, Object to) {
        Intents in = intents;
        CallSite site = in.get(from);
        if (site != null) {
            in.putIfAbsent(to, site);
        }
    }

    @Override
    public Object onBehalfBegin(Object key) {
        CallSite site = intents.get(key);
        if (site == null) {
            return Hook.UNCHANGED;
        }
        CallSite before = onBehalf.get();
        onBehalf.set(site);
        return before == null ? NO_SITE : before;
    }

    @Override
    public void onBehalfEnd(Object token) {
        if (token == NO_SITE) {
            onBehalf.remove();
        } else if (token instanceof CallSite) {
            onBehalf.set((CallSite) token);
        }
    }

    /** {@link #onBehalfBegin}'s token when no call site was set on the thread before. */
    private static final Object NO_SITE = new Object();

    /** Call sites remembered for a library's connect and forgotten before it, the table being full. */
    public long intentDropCount() {
        return intents.drops();
    }

    @Override
    public void agentError(Throwable error) {
        errors.increment();
        firstError.compareAndSet(null, error);
    }

    // ---- bookkeeping --------------------------------------------------------------------------------

    private CallSite site(boolean boundFirst) {
        CallSite site = onBehalf.get();
        if (site == null) {
            site = sites.current();
        } else {
            sites.connectedOn(site);
        }
        if (boundFirst) {
            site.markBindsFirst();
        }
        return site;
    }

    private void open(Connection c, Object owner, int api) {
        if (!c.inbound) {
            readLocal(c, owner, api); // an accept's was read first: its local port is part of its site
        }
        if (c.inbound) {
            c.peer = peers.intern(c.remoteAddress, c.localPort);
        }
        if (!connections.add(c, owner)) {
            // beyond connections.max, or an owner seen twice: counted, not followed
            c.clear();
            c.end();
            trackingDrops.increment();
            countOpen(c, clock.nanoTime(), false);
            return;
        }
        counted(c);
    }

    private void counted(Connection c) {
        long now = clock.nanoTime();
        c.openNanos = now;
        c.openEpochMillis = System.currentTimeMillis();
        countOpen(c, now, true);
        events.opened(c);
    }

    private void countOpen(Connection c, long now, boolean followed) {
        // a connection not followed will never be seen closing, so it is not counted open either
        (c.inbound ? accepts : connects).increment();
        if (followed) {
            open.increment();
        }
        c.site.stats().opened(c.inbound, now, followed);
        if (c.destination != null) {
            c.destination.stats().opened(false, now, followed);
            c.site.reached(c.destination);
        }
        if (c.peer != null) {
            c.peer.accepted(now, followed);
        }
    }

    private void ended(Connection c, boolean leaked) {
        long now = clock.nanoTime();
        c.closeNanos = now;
        long lifetime = now - c.openNanos;
        recentCloses.add(c, now);
        closes.increment();
        open.decrement();
        if (leaked) {
            leaks.increment();
        }
        c.site.stats().closed(lifetime, leaked);
        if (c.destination != null) {
            c.destination.stats().closed(lifetime, leaked);
        }
        if (c.peer != null) {
            Peer.Ending how = c.peerEnding;
            c.peer.ended(how == null ? Peer.Ending.CLOSED_HERE : how, lifetime);
        }
        events.closed(c, lifetime, leaked);
    }

    private void fail(CallSite site, Destination d, FailureCause cause) {
        failures.increment();
        failuresByCause[cause.ordinal()].increment();
        site.stats().failed(cause);
        d.stats().failed(cause);
        site.reached(d);
        events.failed(site, d, cause);
    }

    private static InetSocketAddress inet(SocketAddress a) {
        if (!(a instanceof InetSocketAddress)) {
            return null; // Unix-domain sockets are not TCP
        }
        InetSocketAddress isa = (InetSocketAddress) a;
        return isa.isUnresolved() ? null : isa;
    }

    private static SocketAddress remoteOf(Object owner) {
        try {
            if (owner instanceof NetworkChannel) {
                return owner instanceof AsynchronousSocketChannel
                        ? ((AsynchronousSocketChannel) owner).getRemoteAddress()
                        : ((java.nio.channels.SocketChannel) owner).getRemoteAddress();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static void readLocal(Connection c, Object owner, int api) {
        try {
            if (api == Hook.API_SOCKET) {
                Socket s = (Socket) owner;
                c.localPort = s.getLocalPort();
                c.localAddress = s.getLocalAddress();
            } else {
                SocketAddress local = api == Hook.API_NATIVE ? NativeSockets.localAddress(owner)
                        : ((NetworkChannel) owner).getLocalAddress();
                if (local instanceof InetSocketAddress) {
                    c.localPort = ((InetSocketAddress) local).getPort();
                    c.localAddress = ((InetSocketAddress) local).getAddress();
                }
            }
        } catch (IOException | RuntimeException e) {
            // closed under us: the local end stays unknown
        }
    }

    /**
     * Processes connections whose owner became unreachable without close(): each counts as ended
     * and leaked. Blocks up to {@code timeoutMillis} for the first; called by the agent's own
     * thread, never by the application's.
     */
    public int reapUnreachable(long timeoutMillis) throws InterruptedException {
        int n = 0;
        Reference<?> r = timeoutMillis > 0 ? unreachable.remove(timeoutMillis) : unreachable.poll();
        while (r != null) {
            Connection c = (Connection) r;
            if (connections.remove(c)) { // false for a connection forgotten by reset()
                int was = c.end();
                if (was == Connection.OPEN) {
                    ended(c, true);
                    n++;
                }
            }
            r = unreachable.poll();
        }
        return n;
    }

    // ---- reading: called by the agent's threads and the MXBean ---------------------------------

    public long connectCount() {
        return connects.sum();
    }

    public long acceptCount() {
        return accepts.sum();
    }

    public long closeCount() {
        return closes.sum();
    }

    public long openConnections() {
        return open.sum();
    }

    public long failureCount() {
        return failures.sum();
    }

    public long failureCount(FailureCause cause) {
        return failuresByCause[cause.ordinal()].sum();
    }

    public long leakCount() {
        return leaks.sum();
    }

    /** Connections counted but not followed, because {@code connections.max} were followed already. */
    public long trackingDropCount() {
        return trackingDrops.sum();
    }

    /** Failures inside the agent, swallowed on application threads. */
    public long agentErrorCount() {
        return errors.sum() + Hook.lostErrors();
    }

    /** The first failure inside the agent, or null; for the agent's log line. */
    public Throwable firstAgentError() {
        return firstError.get();
    }

    public List<CallSite> callSites() {
        return sites.all();
    }

    public List<Destination> destinations() {
        return destinations.all();
    }

    /**
     * The destination for {@code address:port}, created when new (as a connect would), for the
     * census.s unseen sockets; the shared {@code (other)} row beyond {@code destinations.max}.
     */
    public Destination destination(InetAddress address, int port) {
        return destinations.intern(address, port);
    }

    /** The peers of inbound connections, by remote address and local port. */
    public List<Peer> peers() {
        return peers.all();
    }

    /** Connections that ended recently, newest last; for matching TIME_WAIT sockets to call sites. */
    public List<Connection> recentCloses() {
        return recentCloses.snapshot();
    }

    /**
     * Closes forgotten while younger than the longest TIME_WAIT, because {@code closes.max} newer
     * ones arrived: their TIME_WAIT sockets can no longer be attributed.
     */
    public long recentCloseDropCount() {
        return recentCloses.drops();
    }

    /** The connections followed now (pending connects included). */
    public List<Connection> connections() {
        return connections.snapshot();
    }
}
