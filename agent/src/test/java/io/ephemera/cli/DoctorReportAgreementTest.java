package io.ephemera.cli;

import io.ephemera.config.Config;
import io.ephemera.hook.Hook;
import io.ephemera.kernel.Census;
import io.ephemera.kernel.HostView;
import io.ephemera.report.Finding;
import io.ephemera.report.FindingKind;
import io.ephemera.report.Findings;
import io.ephemera.report.Report;
import io.ephemera.track.ManualTracker;
import io.ephemera.track.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One recorded state, two readers: the agent's report (the tracker, on an injected clock, joined
 * with a proc root by the census) and the doctor (the same proc root alone). Two call sites of one
 * JVM connect to its own loopback server, a new connection per request, closed by the client
 * first, so the TIME_WAIT sockets the proc root lists are theirs. The report's findings never
 * contradict each other nor point to a finding that is absent, and the doctor never stays quiet
 * about a destination the report has churn on, nor advises a tcp_tw_reuse the report calls useless.
 */
class DoctorReportAgreementTest {

    private static final Config CONFIG = Config.parse("jfr.enabled=false", new Properties());
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final long READ_AT_MILLIS = 10_100;

    @TempDir
    Path temp;

    private final ManualTracker manual = new ManualTracker(CONFIG);
    private final Tracker tracker = manual.tracker();

    /** What both readers read. */
    private record State(Report report, Diagnosis doctor) {
    }

    /**
     * {@code perSecondA} and {@code perSecondB} requests a second from two call sites for 10 s, each a
     * new connection closed by the client first; the proc root lists their TIME_WAIT sockets with
     * the time each has left, and the server's listener.
     */
    private State record(String twReuse, int perSecondA, int perSecondB) throws IOException {
        assertTrue(perSecondA == 0 || 100 % perSecondA == 0, "a whole number of 10 ms steps between requests");
        assertTrue(perSecondB == 0 || 100 % perSecondB == 0, "a whole number of 10 ms steps between requests");
        ProcRoot proc = new ProcRoot(temp).sysctl("ip_local_port_range", "32768\t60999")
                .sysctl("ip_local_reserved_ports", "").sysctl("tcp_tw_reuse", twReuse)
                .sysctl("tcp_tw_reuse_delay", "1000").sysctl("tcp_timestamps", "1");
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            int port = server.getLocalPort();
            proc.socket("127.0.0.1", port, "0.0.0.0", 0, ProcRoot.LISTEN, 0, 1);
            for (long ms = 0; ms < 10_000; ms += 10) {
                if (perSecondA > 0 && ms % (1000 / perSecondA) == 0) {
                    request(server, ms, true, proc);
                }
                if (perSecondB > 0 && ms % (1000 / perSecondB) == 0) {
                    request(server, ms, false, proc);
                }
            }
            manual.atMillis(READ_AT_MILLIS);
            Path root = proc.write();
            Report report = Findings.report(tracker, new Census(root, 1_000, tracker, line -> { }).scan(), CONFIG);
            return new State(report, Diagnosis.of(HostView.read(root, 10), "ephemera-agent.jar"));
        }
    }

    private void request(ServerSocket server, long atMillis, boolean siteA, ProcRoot proc) throws IOException {
        manual.atMillis(atMillis);
        InetSocketAddress remote = new InetSocketAddress(LOOPBACK, server.getLocalPort());
        try (Socket client = new Socket(LOOPBACK, server.getLocalPort()); Socket accepted = server.accept()) {
            if (siteA) {
                tracker.connected(client, Hook.API_SOCKET, remote, false); // call site A
            } else {
                tracker.connected(client, Hook.API_SOCKET, remote, false); // call site B
            }
            tracker.accepted(accepted, Hook.API_SOCKET);
            manual.atMillis(atMillis + 1);
            tracker.peerEnded(accepted, false); // the client closed first: the server read its FIN
            tracker.closed(client, Hook.API_SOCKET, null);
            tracker.closed(accepted, Hook.API_SOCKET, null);
            long leftTicks = (60_000 - (READ_AT_MILLIS - atMillis)) / 10;
            proc.socket("127.0.0.1", client.getLocalPort(), "127.0.0.1", server.getLocalPort(), ProcRoot.TIME_WAIT,
                    leftTicks, 0);
        }
    }

    private static List<Map<String, String>> of(Report r, FindingKind kind) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Finding f : r.findings()) {
            if (f.kind() == kind) {
                out.add(f.fields());
            }
        }
        return out;
    }

    /** The report agrees with itself: one budget and hold, no pointer to an absent finding, shares adding up. */
    private static void consistent(Report r) {
        List<Map<String, String>> churn = of(r, FindingKind.CHURN);
        for (Map<String, String> p : of(r, FindingKind.PEER_CHURN)) {
            String advice = p.get("advice");
            if ("this host".equals(p.get("peer_budget_from"))) {
                assertEquals(r.header().get("budget"), p.get("peer_budget"), "one budget: " + p);
                for (Map<String, String> c : churn) {
                    if (c.get("dest").endsWith(":" + p.get("port"))) {
                        assertEquals(c.get("hold"), p.get("peer_hold"), "one hold time toward it: " + c + "\n" + p);
                        assertEquals(c.get("budget"), p.get("peer_budget"), "one budget toward it: " + c + "\n" + p);
                    }
                }
            }
            assertFalse(advice.contains("assumed") && "this host".equals(p.get("peer_budget_from")), advice);
            if (!p.get("peer_budget").equals("unknown") && !p.get("projected_peer_ports").equals("unknown")) {
                assertTrue(Long.parseLong(p.get("projected_peer_ports")) <= Long.parseLong(p.get("peer_budget")), p.toString());
            }
            if (p.containsKey("from_sites")) {
                int sum = 0;
                for (String part : p.get("from_sites").split(", ")) {
                    String site = part.substring(0, part.lastIndexOf(" ("));
                    sum += Integer.parseInt(part.substring(part.lastIndexOf(" (") + 2, part.length() - 2));
                    boolean hasChurn = churn.stream().anyMatch(c -> c.get("site").equals(site));
                    boolean pointed = advice.contains(part + " (see its churn finding)")
                            || advice.contains("come from " + site + " (see its churn finding)");
                    assertEquals(hasChurn, pointed, "a pointer to " + site + " exactly when its churn finding is there: "
                            + advice);
                }
                assertTrue(Math.abs(sum - 100) <= 1, "shares add up: " + p.get("from_sites"));
                assertTrue(p.get("from_sites").startsWith(p.get("from") + " ("), "from is the largest share: " + p);
            } else {
                assertFalse(advice.contains("see its churn finding"), advice);
            }
        }
    }

    /** The doctor speaks of every destination the report has churn on, and never says "nothing to do" then. */
    private static void agree(State s) {
        List<String> recs = s.doctor().recommendations();
        for (Map<String, String> c : of(s.report(), FindingKind.CHURN)) {
            String dest = c.get("dest");
            assertTrue(recs.stream().anyMatch(r -> r.startsWith(dest + " ")),
                    "the report has churn toward " + dest + "; the doctor says: " + recs);
            for (String r : recs) {
                assertFalse(r.contains("nothing to do") || r.startsWith("from the kernel's side, nothing"), r);
                if (r.startsWith(dest + " ")) {
                    // tcp_tw_reuse: suggested by both or by neither
                    boolean reportSuggests = c.get("advice").contains("would let");
                    assertEquals(reportSuggests, r.contains("tcp_tw_reuse=1"), c.get("advice") + "\n" + r);
                }
            }
        }
        for (Diagnosis.Destination d : s.doctor().destinations()) {
            if (d.churning() || d.shortOfPorts()) {
                String dest = d.load().key();
                assertTrue(of(s.report(), FindingKind.CHURN).stream().anyMatch(c -> c.get("dest").equals(dest))
                        || of(s.report(), FindingKind.EXHAUSTION_RISK).stream().anyMatch(c -> c.get("dest").equals(dest)),
                        "the doctor judges " + dest + " churning from the kernel alone; the report: " + s.report().findings());
            }
        }
    }

    @Test
    void loopbackWithTheDefaultReuseIsChurnTheDoctorNamesAndSendsToTheReport() throws IOException {
        State s = record("2", 20, 5);
        consistent(s.report());
        agree(s);
        List<Map<String, String>> churn = of(s.report(), FindingKind.CHURN);
        assertEquals(1, churn.size(), "site A churns (20/s, 1 ms); B at 5/s does not: " + churn);
        assertEquals("1s", churn.get(0).get("hold"));
        Map<String, String> peer = of(s.report(), FindingKind.PEER_CHURN).get(0);
        assertEquals("this host", peer.get("peer_budget_from"));
        assertEquals("1s", peer.get("peer_hold"), "loopback under tcp_tw_reuse=2: this host's hold, not 60 s assumed");
        assertTrue(peer.get("from_sites").matches(".* \\(80%\\), .* \\(20%\\)"), peer.get("from_sites"));
        assertTrue(peer.get("advice").contains("against this host's budget of " + peer.get("peer_budget")), peer.get("advice"));
        String rec = s.doctor().recommendations().get(0);
        assertTrue(rec.contains(" may churn: 25 connections/s closed first here") && rec.contains("report"), rec);
        assertTrue(rec.contains("tcp_tw_reuse is 2, which already lets connects to it take over a TIME_WAIT port after 1 s"),
                rec);
        assertFalse(rec.contains("tcp_tw_reuse=1") || rec.contains("both "), "no remedy that changes nothing: " + rec);
    }

    @Test
    void withoutReuseBothJudgeTheBudgetAndSuggestTheSameSysctl() throws IOException {
        State s = record("0", 20, 20);
        consistent(s.report());
        agree(s);
        assertEquals(2, of(s.report(), FindingKind.CHURN).size(), s.report().findings().toString());
        Map<String, String> peer = of(s.report(), FindingKind.PEER_CHURN).get(0);
        assertEquals("60s", peer.get("peer_hold"));
        assertTrue(peer.get("from_sites").matches(".* \\(50%\\), .* \\(50%\\)"), peer.get("from_sites"));
        assertEquals(2, peer.get("advice").split("see its churn finding", -1).length - 1, peer.get("advice"));
        Diagnosis.Destination d = s.doctor().destinations().get(0);
        assertTrue(d.churning(), "40/s held 60 s is 2,400 ports, over 5% of the budget");
        assertTrue(s.doctor().recommendations().get(0).contains("tcp_tw_reuse=1 "), s.doctor().recommendations().toString());
    }

    @Test
    void aQuietStateIsQuietInBoth() throws IOException {
        State s = record("2", 0, 2);
        consistent(s.report());
        agree(s);
        assertTrue(of(s.report(), FindingKind.CHURN).isEmpty(), s.report().findings().toString());
        assertTrue(s.doctor().recommendations().get(0).startsWith("from the kernel's side, nothing"),
                s.doctor().recommendations().toString());
    }
}
