package io.ephemera.report;

import io.ephemera.config.Config;
import io.ephemera.jmx.ConnectionAudit;
import io.ephemera.jmx.DestinationRow;
import io.ephemera.kernel.Census;
import io.ephemera.kernel.Fixtures;
import io.ephemera.kernel.KernelView;
import io.ephemera.track.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A number the kernel never gave is never reported: the same traffic judged against a proc root
 * that says everything, one whose sysctls are garbage, and none at all.
 */
class UnknownKernelTest {

    private static final String HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    /** The lifetime test off: only the budget test can call the site churning. */
    private static final Config CONFIG = Config.parse("churn.rate=1000000/s", new Properties());

    @TempDir
    Path temp;

    /** 30 connections to 10.0.0.5:8080, each closed at once: 3 a second over the last 10 s. */
    private static Tracker churned() {
        Tracker t = new Tracker(CONFIG, Tracker.class.getProtectionDomain().getCodeSource());
        for (int i = 0; i < 30; i++) {
            Socket s = new Socket();
            t.connected(s, io.ephemera.hook.Hook.API_SOCKET, new InetSocketAddress("10.0.0.5", 8080), false);
            t.closed(s, io.ephemera.hook.Hook.API_SOCKET, null);
        }
        return t;
    }

    private Path root(String name, boolean garbledSysctls) throws IOException {
        Path root = Files.createDirectories(temp.resolve(name));
        Path ipv4 = Files.createDirectories(root.resolve("sys/net/ipv4"));
        if (garbledSysctls) {
            try (Stream<Path> files = Files.list(Fixtures.procRoot("garbled").resolve("sys/net/ipv4"))) {
                for (Path f : files.collect(Collectors.toList())) {
                    Files.copy(f, ipv4.resolve(f.getFileName().toString()));
                }
            }
        } else {
            Files.writeString(ipv4.resolve("ip_local_port_range"), "40000\t40019\n");
            Files.writeString(ipv4.resolve("ip_local_reserved_ports"), "\n");
            Files.writeString(ipv4.resolve("tcp_tw_reuse"), "0\n");
            Files.writeString(ipv4.resolve("tcp_tw_reuse_delay"), "1000\n");
            Files.writeString(ipv4.resolve("tcp_timestamps"), "1\n");
        }
        Files.createDirectories(root.resolve("net"));
        Files.writeString(root.resolve("net/tcp"), HEADER);
        Files.writeString(root.resolve("net/tcp6"), HEADER);
        return root;
    }

    private static KernelView view(Path root, Tracker t) {
        return new Census(root, 1_000, t, line -> { }).scan();
    }

    private static List<Finding> of(Report r, FindingKind kind) {
        return r.findings().stream().filter(f -> f.kind() == kind).collect(Collectors.toList());
    }

    @Test
    void knownSysctlsJudgeTheTrafficByTheBudget() throws IOException {
        Tracker t = churned();
        KernelView view = view(root("known", false), t);
        assertFalse(view.partial(), view.unread().toString());
        Report r = Findings.report(t, view, CONFIG);
        assertTrue(r.headerLine().contains(" range=40000-40019 budget=20 tw_reuse=0 census=available "), r.headerLine());
        assertEquals(1, of(r, FindingKind.CHURN).size(), "3/s held 60 s is 180 ports of 20: " + r.text());
        assertEquals(1, of(r, FindingKind.EXHAUSTION_RISK).size(), r.text());
        assertEquals(List.of(), of(r, FindingKind.UNJUDGED), r.text());
    }

    @Test
    void garbledSysctlsAreUnknownAndNothingIsJudgedFromThem() throws IOException {
        Tracker t = churned();
        KernelView view = view(root("garbled", true), t);
        assertTrue(view.available());
        assertTrue(view.partial());
        Report r = Findings.report(t, view, CONFIG);
        Map<String, String> header = LogFmtTest.parse(r.headerLine());
        assertEquals("unknown", header.get("range"));
        assertEquals("unknown", header.get("budget"));
        assertEquals("unknown", header.get("tw_reuse"));
        assertEquals("0", header.get("time_wait"), "the socket tables were read");
        assertEquals("available", header.get("census"));
        assertEquals(List.of(), of(r, FindingKind.CHURN), "no budget, no budget test: " + r.text());
        assertEquals(List.of(), of(r, FindingKind.EXHAUSTION_RISK), r.text());

        List<Finding> unjudged = of(r, FindingKind.UNJUDGED);
        assertEquals(1, unjudged.size(), "one line says why: " + r.text());
        Map<String, String> f = LogFmtTest.parse(unjudged.get(0).line());
        assertEquals("churn-by-budget,exhaustion-risk", f.get("not_computed"));
        assertEquals("1", f.get("sites"));
        assertEquals("1", f.get("dests"));
        assertEquals("budget,in_use,hold", f.get("unknown"));
        assertTrue(f.get("unread").startsWith("net.ipv4.ip_local_port_range (garbled: \"60999 32768\"), "
                + "net.ipv4.ip_local_reserved_ports (garbled: \"8080,abc\"), net.ipv4.tcp_tw_reuse (garbled: \"two\")"),
                f.get("unread"));
        assertFalse(f.get("unread").contains("tcp_max_tw_buckets"), "only what the figures need");

        String json = r.json();
        assertTrue(json.contains("\"range\":null,\"budget\":null,\"tw_reuse\":null,\"census\":\"available\""), json);
        assertTrue(json.contains("\"finding\":\"unjudged\""), json);

        ConnectionAudit audit = new ConnectionAudit(t, CONFIG, "test", List::of, Map::of, () -> view, () -> 0L, () -> r);
        assertTrue(audit.getCensusAvailable());
        assertTrue(audit.getCensusPartial());
        assertTrue(audit.getCensusUnreadable().startsWith("net.ipv4.ip_local_port_range (garbled: "),
                audit.getCensusUnreadable());
        assertEquals("", audit.getEphemeralPortRange());
        assertEquals(-1, audit.getEphemeralPortBudget());
        assertEquals(-1, audit.getTcpTwReuse());
        assertEquals(0, audit.getTimeWaitCount());
        DestinationRow d = audit.getDestinations().get("10.0.0.5:8080");
        assertEquals(-1, d.getPortBudget());
        assertEquals(-1, d.getPortsInUse(), "no range: no port is known to be ephemeral");
        assertEquals(-1, d.getTimeWait());
        assertEquals(0, d.getOwnedTimeWait(), "the agent's own attribution needs no range");
        assertTrue(Double.isNaN(d.getHeadroomPercent()));
        assertTrue(Double.isNaN(d.getHoldSeconds()), "remote with tcp_tw_reuse unknown");
        assertTrue(Double.isNaN(d.getSecondsToExhaustion()), "not -1, which says 'not on course'");
        assertFalse(audit.getCallSites().values().iterator().next().isChurning());
    }

    @Test
    void withoutAnyProcEveryKernelFigureIsUnknown() {
        Tracker t = churned();
        KernelView view = view(temp.resolve("nowhere"), t);
        assertFalse(view.available());
        assertTrue(view.partial());
        Report r = Findings.report(t, view, CONFIG);
        assertTrue(r.headerLine().contains(" time_wait=unknown owned_time_wait=unknown owned_close_wait=unknown "
                + "range=unknown budget=unknown tw_reuse=unknown census=unavailable "), r.headerLine());
        assertEquals(List.of(), of(r, FindingKind.EXHAUSTION_RISK), r.text());
        assertEquals(1, of(r, FindingKind.UNJUDGED).size(), r.text());
        assertTrue(of(r, FindingKind.UNJUDGED).get(0).fields().get("unread").contains("/nowhere/net/tcp ("),
                r.text());

        ConnectionAudit audit = new ConnectionAudit(t, CONFIG, "test", List::of, Map::of, () -> view, () -> 0L, () -> r);
        assertTrue(audit.getCensusPartial());
        assertEquals(-1, audit.getTimeWaitCount());
        assertEquals(-1, audit.getOwnedTimeWaitCount());
        assertEquals(-1, audit.getOwnedCloseWaitCount());
        assertEquals(-1, audit.getCallSites().values().iterator().next().getOwnedTimeWait());
        assertEquals(-1, audit.getDestinations().get("10.0.0.5:8080").getOwnedTimeWait());
    }
}
