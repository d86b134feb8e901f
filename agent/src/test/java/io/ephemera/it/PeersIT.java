package io.ephemera.it;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How inbound connections ended, per peer and local port: a peer that closes with a FIN, one that
 * resets, and a local-first close, through both the Socket and the channel APIs.
 */
class PeersIT {

    private static final int N = 20;
    /** Two call sites share the label, so one is {@code "... #2"}, quoted. */
    private static final Pattern FROM_CLIENTS = Pattern.compile(" from=\"?io\\.ephemera\\.it\\.app\\.PeerEndings\\.clients\\(PeerEndings\\.java:");

    @Test
    void eachEndingIsCountedForItsPeerAndTheKernelAgrees() {
        // a fresh namespace: no other TIME_WAIT sockets, so every census pass is a full scan
        NetworkNamespace.assumeAvailable();
        ForkedJvm.Result r = ForkedJvm.withAgent("census.interval=500ms").under(NetworkNamespace.with())
                .run("io.ephemera.it.app.PeerEndings", Integer.toString(N), "500", "awaitCensus");
        r.assertOk();
        Audit audit = Audit.parse(r.out);
        Map<String, String> ports = new HashMap<>();
        r.out.lines().filter(l -> l.startsWith("port\t")).map(l -> l.split("\t"))
                .forEach(f -> ports.put(f[1] + " " + f[2], f[3]));
        assertEquals(6, ports.size(), r.out);
        for (Map.Entry<String, String> e : ports.entrySet()) {
            String what = e.getKey();
            Map<String, String> row = audit.rows("Peers").get("127.0.0.1 -> :" + e.getValue());
            assertNotNull(row, what + ": no peer row in " + audit.rows("Peers").keySet());
            String ctx = what + " " + row;
            assertEquals("127.0.0.1", row.get("peer"), ctx);
            assertEquals(e.getValue(), row.get("localPort"), ctx);
            assertEquals(N, Long.parseLong(row.get("accepts")), ctx);
            assertEquals(0, Long.parseLong(row.get("open")), ctx);
            long here = Long.parseLong(row.get("closedHere"));
            long byPeer = Long.parseLong(row.get("closedByPeer"));
            long reset = Long.parseLong(row.get("resetByPeer"));
            long timeWait = Long.parseLong(row.get("ownedTimeWait"));
            if (what.endsWith("PEER")) {
                assertEquals(N, byPeer, ctx);
                assertEquals(0, timeWait, "the peer closed first: its TIME_WAIT is on its side; " + ctx);
                assertTrue(Double.parseDouble(row.get("projectedPeerPortUse")) > 0, ctx);
            } else if (what.endsWith("RESET")) {
                assertEquals(N, reset, ctx);
                assertEquals(0, timeWait, "a reset leaves no TIME_WAIT; " + ctx);
                assertEquals(0.0, Double.parseDouble(row.get("projectedPeerPortUse")), ctx);
            } else {
                assertEquals(N, here, ctx);
                // the kernel may keep one TIME_WAIT fewer than the closes (see KernelLabIT)
                assertTrue(timeWait >= N - 1 && timeWait <= N, "closed here: the TIME_WAIT stays here; " + ctx);
            }
            assertEquals(N, here + byPeer + reset, ctx);
            assertEquals("false", row.get("churning"), "20 connections one at a time are not churn; " + ctx);
        }
    }

    @Test
    void aPeerWithANewConnectionPerRequestIsAPeerChurnFindingThatSaysHowItsConnectionsEnd() {
        ForkedJvm.Result r = ForkedJvm.withAgent("census.interval=500ms").run("io.ephemera.it.app.PeerEndings", "300", "700");
        r.assertOk();
        List<String> findings = r.err.lines().filter(l -> l.startsWith("finding=peer-churn ")).collect(Collectors.toList());
        // the six peers connect at once, 300 times each as fast as the machine goes, and the exit
        // report follows: each is churn (churn.rate=10/s over the last 10 s) unless the machine made
        // fewer than 10 connections a second per peer; the clients line says how long they took
        assertEquals(6, findings.size(), r.err + r.out.lines().filter(l -> l.startsWith("clients\t")).findFirst().orElse(""));
        for (String f : findings) {
            assertTrue(f.contains(" peer=127.0.0.1 port=") && f.contains(" accepts=300 "), f);
            // the clients are this JVM's own: the finding names their call site rather than a proxy setting
            assertTrue(FROM_CLIENTS.matcher(f).find(), f);
            assertTrue(f.contains("; the peer is this JVM: the connections come from io.ephemera.it.app.PeerEndings.clients("), f);
        }
        assertEquals(2, findings.stream().filter(f -> f.contains(" reset_by_peer=300 ")
                && f.contains(" and resets them: every request pays a new TCP connection")).count(), r.err);
        assertEquals(2, findings.stream().filter(f -> f.contains(" closed_by_peer=300 ")
                && f.contains(" and closes them first: ")
                // a loopback peer is this host: its budget and hold are this kernel's, never assumed
                && f.contains(" peer_budget_from=\"this host\" ") && f.contains("against this host's budget")
                && !f.contains("assumed")).count(), r.err);
        assertEquals(2, findings.stream().filter(f -> f.contains(" closed_here=300 ")
                && f.contains(" and this backend closes them first: ")).count(), r.err);
    }
}
