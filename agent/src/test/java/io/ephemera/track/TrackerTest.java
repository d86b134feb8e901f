package io.ephemera.track;

import io.ephemera.config.Config;
import io.ephemera.hook.Hook;
import org.junit.jupiter.api.Test;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tracker driven directly, as the hook drives it; the owners are unconnected sockets. */
class TrackerTest {

    private static final InetSocketAddress BACKEND = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);

    private static Tracker tracker(String args) {
        return new Tracker(Config.parse(args, new Properties()),
                Tracker.class.getProtectionDomain().getCodeSource());
    }

    private static void invariant(Tracker t) {
        assertEquals(t.connectCount() + t.acceptCount() - t.openConnections(), t.closeCount(),
                "CloseCount = ConnectCount + AcceptCount - OpenConnections");
    }

    @Test
    void connectAndCloseAreCountedOncePerConnection() {
        Tracker t = tracker("");
        Socket s = new Socket();
        t.connected(s, Hook.API_SOCKET, BACKEND, false);
        assertEquals(1, t.connectCount());
        assertEquals(1, t.openConnections());
        t.closed(s, Hook.API_SOCKET, null);
        t.closed(s, Hook.API_SOCKET, null); // close() is idempotent: counted once
        assertEquals(1, t.closeCount());
        assertEquals(0, t.openConnections());
        invariant(t);
        Destination d = t.destinations().get(0);
        assertEquals("127.0.0.1:8080", d.key());
        assertEquals(1, d.stats().connects());
        assertEquals(1, d.stats().closes());
        CallSite site = t.callSites().get(0);
        assertEquals("127.0.0.1:8080", site.destinations());
        assertEquals(1, site.stats().closes());
    }

    @Test
    void closeOfAnUnknownConnectionCountsNothing() {
        Tracker t = tracker("");
        t.closed(new Socket(), Hook.API_SOCKET, null);
        assertEquals(0, t.closeCount());
        assertEquals(0, t.openConnections());
    }

    @Test
    void failuresAreClassified() {
        Tracker t = tracker("");
        t.connectFailed(new Socket(), Hook.API_SOCKET, BACKEND, new ConnectException("Connection refused"), false);
        t.connectFailed(new Socket(), Hook.API_SOCKET, BACKEND, new BindException("Cannot assign requested address"), false);
        assertEquals(2, t.failureCount());
        assertEquals(1, t.failureCount(FailureCause.REFUSED));
        assertEquals(1, t.failureCount(FailureCause.ADDRESS_NOT_AVAILABLE));
        assertEquals(0, t.connectCount());
        assertEquals(2, t.destinations().get(0).stats().failures());
    }

    @Test
    void unresolvedAndNonInetDestinationsAreNotTcpConnects() {
        Tracker t = tracker("");
        t.connectFailed(new Socket(), Hook.API_SOCKET, InetSocketAddress.createUnresolved("nowhere.invalid", 80),
                new java.net.UnknownHostException("nowhere.invalid"), false);
        t.connected(new Socket(), Hook.API_CHANNEL, java.net.UnixDomainSocketAddress.of("/tmp/x.sock"), false);
        assertEquals(0, t.failureCount());
        assertEquals(0, t.connectCount());
    }

    @Test
    void pendingConnectCountsTheTransitionOnce() {
        Tracker t = tracker("");
        Object channel = new Object();
        t.connectPending(channel, Hook.API_CHANNEL, BACKEND, false);
        assertEquals(0, t.connectCount());
        t.pendingConnected(channel);
        t.pendingConnected(channel); // finishConnect() keeps returning true
        t.pendingConnected(channel);
        assertEquals(1, t.connectCount());
        t.closed(channel, Hook.API_CHANNEL, null);
        assertEquals(1, t.closeCount());
        invariant(t);
    }

    @Test
    void pendingConnectThatFailsIsAFailureNotAConnect() {
        Tracker t = tracker("");
        Object channel = new Object();
        t.connectPending(channel, Hook.API_CHANNEL, BACKEND, false);
        t.pendingFailed(channel, new ConnectException("Connection refused"), true);
        t.closed(channel, Hook.API_CHANNEL, null);
        assertEquals(1, t.failureCount(FailureCause.REFUSED));
        assertEquals(0, t.connectCount());
        assertEquals(0, t.closeCount());
    }

    @Test
    void pendingConnectClosedBeforeCompletingIsAFailure() {
        Tracker t = tracker("");
        Object channel = new Object();
        t.connectPending(channel, Hook.API_ASYNC, BACKEND, false);
        t.closed(channel, Hook.API_ASYNC, null);
        assertEquals(1, t.failureCount(FailureCause.OTHER));
        assertEquals(0, t.closeCount());
        assertEquals(0, t.connections().size());
    }

    @Test
    void callSiteOfAPendingConnectIsTheThreadThatCalledConnect() throws Exception {
        Tracker t = tracker("");
        Object channel = new Object();
        t.connectPending(channel, Hook.API_ASYNC, BACKEND, false);
        Thread completer = new Thread(() -> t.pendingConnected(channel), "completer");
        completer.start();
        completer.join();
        CallSite site = t.callSites().get(0);
        assertTrue(site.label().contains("callSiteOfAPendingConnectIsTheThreadThatCalledConnect"), site.label());
    }

    @Test
    void beyondConnectionsMaxConnectsAreCountedNotFollowed() {
        Tracker t = tracker("connections.max=2");
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Socket s = new Socket();
            sockets.add(s);
            t.connected(s, Hook.API_SOCKET, BACKEND, false);
        }
        assertEquals(5, t.connectCount());
        assertEquals(2, t.openConnections());
        assertEquals(3, t.trackingDropCount());
        for (Socket s : sockets) {
            t.closed(s, Hook.API_SOCKET, null);
        }
        assertEquals(0, t.openConnections());
        assertEquals(2, t.closeCount());
    }

    @Test
    void anUnreachableSocketIsALeakAndItsConnectionEnds() throws Exception {
        Tracker t = tracker("");
        leakOne(t);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (t.leakCount() == 0 && System.nanoTime() < deadline) {
            System.gc();
            t.reapUnreachable(100);
        }
        assertEquals(1, t.leakCount(), "the garbage collector let the tracker see the dropped socket within 60 s");
        assertEquals(1, t.closeCount());
        assertEquals(0, t.openConnections());
        assertEquals(1, t.callSites().get(0).stats().leaks());
        invariant(t);
    }

    private static void leakOne(Tracker t) {
        t.connected(new Socket(), Hook.API_SOCKET, BACKEND, false);
    }

    @Test
    void countsAreExactUnderManyThreads() throws Exception {
        Tracker t = tracker("");
        int threads = 8;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int n = 0; n < threads; n++) {
            int id = n;
            done.add(pool.submit(() -> {
                start.await();
                InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9000 + id % 3);
                for (int i = 0; i < perThread; i++) {
                    Object owner = new Object();
                    if (i % 2 == 0) {
                        t.connected(owner, Hook.API_CHANNEL, to, false);
                    } else {
                        t.connectPending(owner, Hook.API_CHANNEL, to, false);
                        t.pendingConnected(owner);
                    }
                    if (i % 10 != 0) {
                        t.closed(owner, Hook.API_CHANNEL, null);
                        t.closed(owner, Hook.API_CHANNEL, null);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long total = (long) threads * perThread;
        assertEquals(total, t.connectCount());
        assertEquals(total - total / 10, t.closeCount());
        invariant(t);
        long perDestination = t.destinations().stream().mapToLong(d -> d.stats().connects()).sum();
        assertEquals(total, perDestination);
        long perSite = t.callSites().stream().mapToLong(s -> s.stats().connects()).sum();
        assertEquals(total, perSite);
        long openPerSite = t.callSites().stream().mapToLong(s -> s.stats().open()).sum();
        assertEquals(t.openConnections(), openPerSite);
    }
}
