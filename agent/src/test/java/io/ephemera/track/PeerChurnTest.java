package io.ephemera.track;

import io.ephemera.analysis.Assessment;
import io.ephemera.analysis.ChurnVerdict;
import io.ephemera.analysis.HoldTime;
import io.ephemera.config.Config;
import io.ephemera.hook.Hook;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer's churn verdict on an injected clock, with the default options and the rule
 * {@link Assessment#peer} applies: about a rate sustained over the last 10 seconds, so a burst is
 * not churn however fast the machine ran it, and a new connection per request is, however early.
 */
class PeerChurnTest {

    private static final Config CONFIG = Config.parse("jfr.enabled=false", new Properties());
    private static final ChurnVerdict VERDICT = new ChurnVerdict(CONFIG.churnBudgetShare(), CONFIG.churnRate(),
            CONFIG.churnLifetimeMillis());

    private final ManualClock clock = new ManualClock(1_000_000_000_000L);
    private final Tracker tracker = new Tracker(CONFIG, Tracker.class.getProtectionDomain().getCodeSource(), clock);

    /** As {@link Assessment#peer} decides it, against the peer's assumed budget. */
    private static boolean churning(Peer p) {
        return VERDICT.churning(p.acceptRatePerSecond(10), HoldTime.TIME_WAIT_SECONDS, Assessment.ASSUMED_PEER_BUDGET,
                p.ends(), p.medianLifetimeMillis());
    }

    /**
     * {@code n} inbound connections one at a time, the first at {@code firstMillis} after the start,
     * one every {@code everyMillis}, each closed here 1 ms after it was accepted.
     */
    private Peer connections(int n, long firstMillis, long everyMillis) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
            for (int i = 0; i < n; i++) {
                clock.atMillis(firstMillis + i * everyMillis);
                try (Socket client = new Socket(loopback, server.getLocalPort()); Socket accepted = server.accept()) {
                    tracker.accepted(accepted, Hook.API_SOCKET);
                    clock.advanceMillis(1);
                    tracker.closed(accepted, Hook.API_SOCKET, null);
                }
            }
        }
        assertEquals(1, tracker.peers().size(), tracker.peers().toString());
        Peer p = tracker.peers().get(0);
        assertEquals(n, p.accepts());
        assertEquals(n, p.ended(Peer.Ending.CLOSED_HERE));
        return p;
    }

    @Test
    void twentyConnectionsOneAtATimeRightAfterStartupAreNotChurnOnAFastMachine() throws IOException {
        Peer p = connections(20, 100, 1); // 20 ms in all, 0.1 s after the agent started
        assertFalse(churning(p), p.acceptRatePerSecond(10) + "/s");
        // read at 0.12 s: over 9 whole seconds and 0.12 of the current one, not over 0.12 s
        assertEquals(20 / 9.12, p.acceptRatePerSecond(10), 0.001);
    }

    @Test
    void twentyConnectionsOneAtATimeRightAfterStartupAreNotChurnOnASlowMachine() throws IOException {
        // 1.4 s in all: read over the time since the start, this was 14/s, churn at churn.rate=10/s
        Peer p = connections(20, 100, 70);
        assertFalse(churning(p), p.acceptRatePerSecond(10) + "/s");
        assertTrue(p.acceptRatePerSecond(10) <= 20 / 9.0, p.acceptRatePerSecond(10) + "/s");
    }

    @Test
    void twentyConnectionsInABurstLongAfterStartupAreNotChurn() throws IOException {
        Peer p = connections(20, 3_600_000, 1);
        assertFalse(churning(p), p.acceptRatePerSecond(10) + "/s");
    }

    @Test
    void aNewConnectionPerRequestAtTwentyASecondIsChurnFromItsTenthSecond() throws IOException {
        Peer p = connections(200, 100, 50); // 20/s for 10 s, from 0.1 s after the start
        assertTrue(churning(p), p.acceptRatePerSecond(10) + "/s");
        assertEquals(20.0, p.acceptRatePerSecond(10), 2.0);
    }

    @Test
    void churnThatStoppedIsNoLongerChurnOnceItLeftTheWindow() throws IOException {
        Peer p = connections(200, 100, 50);
        clock.advanceMillis(11_000);
        assertFalse(churning(p), p.acceptRatePerSecond(10) + "/s");
        assertEquals(0.0, p.acceptRatePerSecond(10));
    }

    @Test
    void anAcceptSiteSaysItsRateIsAcceptsAndAConnectSiteHasNone() throws IOException {
        connections(200, 100, 50); // 20/s for 10 s
        CallSite acceptSite = tracker.callSites().stream().filter(c -> c.stats().accepts() > 0).findFirst().orElseThrow();
        assertEquals(20.0, acceptSite.stats().acceptRatePerSecond(10), 2.0);
        assertEquals(acceptSite.stats().openRatePerSecond(10), acceptSite.stats().acceptRatePerSecond(10), 1e-9);
        tracker.connected(new Socket(), Hook.API_SOCKET, new java.net.InetSocketAddress("10.0.0.5", 80), false);
        CallSite connectSite = tracker.callSites().stream().filter(c -> c.stats().connects() > 0).findFirst().orElseThrow();
        assertEquals(0.0, connectSite.stats().acceptRatePerSecond(10));
        assertTrue(connectSite.stats().openRatePerSecond(10) > 0);
    }

    @Test
    void aPeerThatIsThisHostHasThisHostsBudgetAndItsProjectionNeverExceedsIt(@org.junit.jupiter.api.io.TempDir
                                                                               java.nio.file.Path proc) throws IOException {
        java.nio.file.Path sys = java.nio.file.Files.createDirectories(proc.resolve("sys/net/ipv4"));
        java.nio.file.Files.writeString(sys.resolve("ip_local_port_range"), "40000\t40099\n");
        java.nio.file.Files.writeString(sys.resolve("ip_local_reserved_ports"), "\n");
        java.nio.file.Files.writeString(sys.resolve("tcp_tw_reuse"), "0\n");
        java.nio.file.Files.writeString(sys.resolve("tcp_tw_reuse_delay"), "1000\n");
        java.nio.file.Files.writeString(sys.resolve("tcp_timestamps"), "1\n");
        java.nio.file.Files.createDirectories(proc.resolve("net"));
        java.nio.file.Files.writeString(proc.resolve("net/tcp"), "  sl  local_address rem_address   st\n");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
            for (int i = 0; i < 200; i++) { // 20/s for 10 s, each closed by the peer first
                clock.atMillis(100 + i * 50L);
                try (Socket client = new Socket(loopback, server.getLocalPort()); Socket accepted = server.accept()) {
                    tracker.accepted(accepted, Hook.API_SOCKET);
                    clock.advanceMillis(1);
                    tracker.peerEnded(accepted, false);
                    tracker.closed(accepted, Hook.API_SOCKET, null);
                }
            }
        }
        io.ephemera.kernel.KernelView view = new io.ephemera.kernel.Census(proc, 1_000, tracker, line -> { }).scan();
        Assessment.PeerVerdict v = new Assessment(view, CONFIG).peer(tracker.peers().get(0));
        assertTrue(v.thisHost());
        assertEquals(100, v.peerBudget(), "this host's 100 ports, not the default range assumed");
        assertEquals(60.0, v.peerHoldSeconds(), "tcp_tw_reuse=0: 60 s, loopback included");
        assertTrue(v.neededPeerPorts() > 1_000, "about 20/s × 60 s: " + v.neededPeerPorts());
        assertTrue(v.capped());
        assertEquals(100.0, v.projectedPeerPortUse(), "never more ports than the range holds");
        assertTrue(v.churning());
    }
}
