package io.ephemera.it;

import com.sun.tools.attach.VirtualMachine;
import io.ephemera.it.app.Hostile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Never harm the host: faults inside the agent, odd addresses, load beyond every cap, late and
 * repeated attaches, and what the agent exposes. Each test runs the application in a JVM with the
 * built agent and checks what the application saw as well as what the agent says.
 */
class SafetyIT {

    private static final String HOSTILE = "io.ephemera.it.app.Hostile";
    private static final String WORKLOAD = "io.ephemera.it.app.Workload";

    private static ForkedJvm faulty(String faults, String... options) {
        return ForkedJvm.withAgent(options).jvmArg("-Dephemera.test.faults=" + faults);
    }

    private static List<String> lines(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).collect(Collectors.toList());
    }

    /** The agent says what it has to say in lines of its own: no stack trace, no uncaught exception. */
    private static void noStackTrace(String err) {
        assertFalse(err.contains("\tat ") || err.contains("Exception in thread"), err);
    }

    // ---- faults inside the agent -------------------------------------------------------------------

    @Test
    void aTrackerCensusAndReporterThatThrowOnEveryCallLeaveTheApplicationAlone() {
        // the application waits until the census is stale (3 intervals and 2 s without a pass): the
        // workload alone may end sooner on a fast machine
        ForkedJvm.Result r = faulty("tracker,census,report", "census.interval=100ms", "report.interval=500ms")
                .run(HOSTILE, "steady", "60", "awaitStale");
        r.assertOk(); // every connect the application made succeeded: it throws otherwise
        assertEquals(240, ConnectionsIT.expected(r, "connects"));
        Audit a = r.audit();
        assertEquals(0, a.count("ConnectCount"), "the tracker saw nothing");
        // each connect is at least a connect, an accept and two closes, each failing once
        assertTrue(a.count("AgentErrorCount") >= 4 * 240, a.attributes.toString());
        assertEquals(1, lines(r.err, "the agent degraded").size(), r.err);
        assertTrue(lines(r.err, "the agent degraded").get(0).contains("injected fault"), r.err);
        assertEquals("true", a.attributes.get("CensusStale"), "no census pass ever completed");
        // the census and housekeeping threads survived every failure, and so did the exit report
        assertEquals(List.of(), lines(r.err, "ended"), r.err);
        noStackTrace(r.err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"census-hang", "census-die"})
    void aCensusThatHangsOrDiesIsStaleAndTheApplicationDoesNotNotice(String fault) {
        ForkedJvm.Result r = faulty(fault, "census.interval=100ms").run(HOSTILE, "steady", "100", "awaitStale");
        r.assertOk();
        Audit a = r.audit();
        assertEquals(400, a.count("ConnectCount"), "connections are still tracked");
        assertEquals(800, a.count("CloseCount"));
        assertEquals(fault.equals("census-die") ? 1 : 0, a.count("AgentErrorCount"));
        assertEquals("true", a.attributes.get("CensusStale"), a.attributes.toString());
        assertTrue(a.count("CensusAgeMillis") > 2_300, a.attributes.toString());
        noStackTrace(r.err);
        if (fault.equals("census-die")) {
            assertEquals(1, lines(r.err, "thread ephemera-census ended").size(), r.err);
        }
    }

    @Test
    void aShutdownInTheMiddleOfAReportNeitherThrowsNorHangs() {
        // the periodic report blocks forever, holding the reporter; then main returns and the JVM
        // exits: within the deadline, where an unbounded wait for the last report never would
        ForkedJvm.Result r = faulty("report-hang", "report.interval=1s").run(HOSTILE, "steady", "60");
        r.assertOk();
        assertEquals(1, lines(r.err, "the last report did not finish within 2 s").size(), r.err);
        noStackTrace(r.err);
    }

    // ---- hostnames and addresses ---------------------------------------------------------------------

    @Test
    void unresolvedScopedMappedAndRejectedAddressesBehaveAsWithoutTheAgent() {
        ForkedJvm.Result without = ForkedJvm.withoutAgent().run(HOSTILE, "odd");
        ForkedJvm.Result with = ForkedJvm.withAgent().run(HOSTILE, "odd");
        without.assertOk();
        assertEquals(lines(without.out, "observed\t"), lines(with.out, "observed\t"), "what the application saw");
        Audit a = with.audit();
        a.assertBalanced();
        assertEquals(ConnectionsIT.expected(with, "connects"), a.count("ConnectCount"));
        assertEquals(0, a.count("OpenConnections"));
        noStackTrace(with.err);
        // the IPv4-mapped address is its IPv4 destination, not a second one
        List<String> destinations = a.rows("Destinations").keySet().stream()
                .filter(k -> a.rows("Destinations").get(k).get("connects").equals(String.valueOf(a.count("ConnectCount"))))
                .collect(Collectors.toList());
        assertEquals(1, destinations.size(), a.rows("Destinations").toString());
        assertTrue(destinations.get(0).startsWith("127.0.0.1:"), destinations.toString());
    }

    // ---- load and concurrency -----------------------------------------------------------------------

    @Test
    void sixteenThreadsTimesFiveThousandMixedConnectsAreCountedExactly() {
        NetworkNamespace.assumeAvailable();
        // in a namespace of its own: 80,000 loopback connections leave no TIME_WAIT on the host
        ForkedJvm.Result r = ForkedJvm.withAgent()
                .under(NetworkNamespace.with("net.ipv4.ip_local_port_range=1024 65535", "net.ipv4.tcp_tw_reuse=1"))
                .run(300, WORKLOAD, "concurrent", "16", "5000");
        Audit a = r.audit();
        assertEquals(80_000, ConnectionsIT.expected(r, "connects"));
        assertEquals(80_000, a.count("ConnectCount"));
        assertEquals(80_000, a.count("AcceptCount"));
        assertEquals(160_000, a.count("CloseCount"), "no lost close");
        assertEquals(0, a.count("OpenConnections"));
        a.assertBalanced();
        a.rows("CallSites").values().forEach(row -> assertEquals("0", row.get("open"), row.toString()));
        assertEquals(80_000, a.rows("CallSites").values().stream().mapToLong(m -> Long.parseLong(m.get("connects"))).sum());
    }

    @Test
    void aStormBeyondEveryCapKeepsMemoryFlatCountsItsDropsAndKeepsThroughput() {
        ForkedJvm.Result r = ForkedJvm.withAgent("callsites.max=50", "destinations.max=50", "connections.max=50",
                "closes.max=500", "stack.depth=128").jvmArg("-Xmx256m").run(180, HOSTILE, "storm");
        Audit a = r.audit();
        long connects = ConnectionsIT.expected(r, "connects");
        assertEquals(connects, a.count("ConnectCount"), "every connect counted, followed or not");
        assertEquals(600, a.count("ConnectFailureCount"));
        assertTrue(a.count("TrackingDropCount") >= 50, "100 held open past connections.max=50: " + a.attributes);
        assertTrue(a.count("RecentCloseDropCount") > 0, a.attributes.toString());
        assertTrue(a.count("OpenConnections") >= 0);
        Map<String, String> otherSites = a.rows("CallSites").get("(other)");
        assertTrue(otherSites != null && Long.parseLong(otherSites.get("connects")) > 0, a.rows("CallSites").keySet().toString());
        assertTrue(a.rows("Destinations").containsKey("(other)"), a.rows("Destinations").keySet().toString());
        assertEquals(connects, a.rows("CallSites").values().stream().mapToLong(m -> Long.parseLong(m.get("connects"))).sum(),
                "nothing lost in overflow");
        long[] heap = new long[2];
        long[] rate = new long[2];
        for (String line : lines(r.out, "half\t")) {
            String[] f = line.split("\t");
            heap[Integer.parseInt(f[1])] = Long.parseLong(f[2]);
            rate[Integer.parseInt(f[1])] = Long.parseLong(f[3]);
        }
        assertTrue(heap[1] - heap[0] < 4 << 20, "heap grew by " + (heap[1] - heap[0]) + " bytes beyond the caps");
        assertTrue(rate[1] * 3 > rate[0], "connects per CPU second fell from " + rate[0] + " to " + rate[1]);
    }

    // ---- attach ------------------------------------------------------------------------------------

    private static ForkedJvm attachable(ForkedJvm j) {
        if (Runtime.version().feature() >= 21) {
            j.jvmArg("-XX:+EnableDynamicAgentLoading");
        }
        return j;
    }

    private static void load(String pid, String options) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(ForkedJvm.AGENT_JAR.toString(), options);
            } finally {
                vm.detach();
            }
        }, "the agent's installation deadlocked");
    }

    @Test
    void attachedOnTopOfPremainIsRefusedAndNothingCountsTwice() throws Exception {
        try (ForkedJvm.Running app = attachable(ForkedJvm.withAgent()).start(WORKLOAD, "attachTarget")) {
            String pid = app.awaitLine("READY", 60).split("\t")[1].trim();
            load(pid, "jmx.rows=7");
            app.send("GO");
            ForkedJvm.Result r = app.finish(ForkedJvm.DEADLINE_SECONDS);
            assertEquals(1, lines(r.err, "already loaded in this JVM").size(), r.err);
            assertTrue(r.err.contains("jmx.rows=7"), r.err);
            Audit a = r.audit();
            assertEquals(4, a.count("ConnectCount"), "one before GO, three after; each once");
            a.assertBalanced();
        }
    }

    @Test
    void attachingWhileThreadsConnectAndLoadSocketClassesNeitherDeadlocksNorGoesNegative() throws Exception {
        try (ForkedJvm.Running app = attachable(ForkedJvm.withoutAgent()).start(HOSTILE, "attachBusy")) {
            String pid = app.awaitLine("READY", 60).split("\t")[1].trim();
            app.send("GO"); // the threads start loading and initialising channel, async and SSL classes
            load(pid, "");
            Thread.sleep(1_000);
            app.send("STOP");
            ForkedJvm.Result r = app.finish(ForkedJvm.DEADLINE_SECONDS);
            r.assertOk();
            assertTrue(r.err.contains("ephemera: attached"), r.err);
            Audit a = r.audit();
            assertEquals("", a.attributes.get("MissingHooks"));
            a.assertBalanced();
            assertEquals(0, a.count("OpenConnections"), "the five closed after the attach were never counted");
            assertTrue(a.count("ConnectCount") > 0 && a.count("ConnectCount") <= ConnectionsIT.expected(r, "connects"));
            a.rows("CallSites").values().forEach(row -> assertTrue(Long.parseLong(row.get("open")) >= 0, row.toString()));
        }
    }

    // ---- security ------------------------------------------------------------------------------------

    /** One JVM for two guarantees: a JVM start costs more than either check. */
    @Test
    void theAgentListensOnNoSocketAndReportsCarryAddressesAndStacksButNeverPayloadBytes(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("report.log");
        ForkedJvm.Result r = ForkedJvm.withAgent("report.file=" + file, "report.interval=1s").run(HOSTILE, "payload");
        r.assertOk();
        assertEquals(List.of("listening\t0"), lines(r.out, "listening\t"), r.out);
        Audit a = r.audit();
        assertTrue(a.present, "the MXBean is in the platform MBeanServer, the only way in");
        assertEquals("false", a.attributes.get("CensusStale"), a.attributes.toString());

        String report = lines(r.out, "report\treport=ephemera").get(0);
        assertTrue(report.contains("127.0.0.1"), report);
        String fileText = Files.readString(file);
        assertTrue(fileText.contains("finding=leak") && fileText.contains("at io.ephemera.it.app.Hostile.payload("),
                fileText);
        for (String text : List.of(r.out, r.err, fileText)) {
            assertFalse(text.contains(Hostile.PAYLOAD), text);
        }
    }
}
