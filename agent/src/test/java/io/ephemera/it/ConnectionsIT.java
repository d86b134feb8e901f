package io.ephemera.it;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every API that opens or accepts a TCP connection, each in a JVM started with the built agent,
 * checked for exact counts, call-site labels and destinations.
 */
class ConnectionsIT {

    private static final String WORKLOAD = "io.ephemera.it.app.Workload";
    private static final String SITE = "io.ephemera.it.app.Workload.";

    static ForkedJvm.Result run(String... args) {
        return ForkedJvm.withAgent().run(WORKLOAD, args);
    }

    static long expected(ForkedJvm.Result r, String what) {
        for (String line : r.out.split("\n")) {
            String[] f = line.split("\t");
            if (f[0].equals("expect") && f[1].equals(what)) {
                return Long.parseLong(f[2]);
            }
        }
        throw new AssertionError("no expect " + what + " in\n" + r.out);
    }

    static String port(ForkedJvm.Result r) {
        for (String line : r.out.split("\n")) {
            if (line.startsWith("port\t")) {
                return line.substring(5);
            }
        }
        throw new AssertionError("no port in\n" + r.out);
    }

    @Test
    void socketConstructorsAndConnectsWithAndWithoutTimeout() {
        ForkedJvm.Result r = run("socket");
        Audit a = r.audit();
        assertEquals(7, a.count("ConnectCount"));
        assertEquals(7, a.count("AcceptCount"));
        assertEquals(14, a.count("CloseCount"));
        assertEquals(0, a.count("OpenConnections"));
        assertEquals(0, a.count("ConnectFailureCount"));
        a.assertBalanced();
        assertEquals(3, a.siteCount(SITE + "socketConstructor(Workload.java:", "connects"));
        assertEquals(2, a.siteCount(SITE + "socketConnect(Workload.java:", "connects"));
        assertEquals(2, a.siteCount(SITE + "socketConnectTimeout(Workload.java:", "connects"));
        assertEquals(2, a.siteCount(SITE + "socketConnectTimeout(Workload.java:", "closes"));
        assertEquals(7, a.siteCount("io.ephemera.it.app.Loopback.acceptLoop(Loopback.java:", "accepts"));
        String dest = "127.0.0.1:" + port(r);
        assertEquals("7", a.destination(dest).get("connects"));
        assertEquals(dest, a.site(SITE + "socketConstructor(").get("destinations"));
        assertTrue(a.site(SITE + "socketConstructor(").get("stack").contains("Workload.main("));
        assertEquals("", a.attributes.get("MissingHooks"), "every hook installed on " + Runtime.version());
        assertTrue(r.err.contains("ephemera: started"), r.err);
        // no library on the class path: its hooks are not loaded, not missing, and nothing is said of them
        assertFalse(a.rows("LibraryHooks").isEmpty());
        a.rows("LibraryHooks").forEach((hook, row) -> assertEquals("not loaded", row.get("value"), hook));
        assertTrue(r.err.contains(", 18 of 18 hooks"), r.err);
        assertFalse(r.err.contains("Netty"), r.err);
        assertEquals(0, a.count("UnseenConnections"));
        assertEquals(0, a.count("PreexistingConnections"));
        assertEquals("backtrace", a.attributes.get("CallSiteIdentity"), "HotSpot's backtrace on " + Runtime.version());
        assertTrue(r.err.contains("; call sites by backtrace"), r.err);
    }

    /** The fallback, asked for: the same sites, labels and stacks as from the backtrace. */
    @Test
    void theStackWalkerFallbackFindsTheSameSites() {
        Audit backtrace = run("socket").audit();
        ForkedJvm.Result r = ForkedJvm.withAgent("callsites.backtrace=false").run(WORKLOAD, "socket");
        Audit walker = r.audit();
        assertEquals("stackwalker", walker.attributes.get("CallSiteIdentity"));
        assertTrue(r.err.contains("; call sites by stackwalker"), r.err);
        Map<String, Map<String, String>> expected = byPortlessKey(backtrace);
        Map<String, Map<String, String>> actual = byPortlessKey(walker);
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((site, row) -> {
            assertEquals(row.get("stack"), actual.get(site).get("stack"), site);
            assertEquals(row.get("connects"), actual.get(site).get("connects"), site);
            assertEquals(row.get("accepts"), actual.get(site).get("accepts"), site);
        });
    }

    /** Call-site rows by key, an accept's local port (which differs from run to run) left out. */
    private static Map<String, Map<String, String>> byPortlessKey(Audit a) {
        Map<String, Map<String, String>> out = new java.util.TreeMap<>();
        a.rows("CallSites").forEach((key, row) -> out.put(key.replaceAll(" on :\\d+", " on :PORT"), row));
        return out;
    }

    @Test
    void socketChannelsBlockingNonBlockingAndThroughTheAdaptor() {
        ForkedJvm.Result r = run("channel");
        Audit a = r.audit();
        assertEquals(expected(r, "connects"), a.count("ConnectCount"));
        assertEquals(5, a.count("ConnectCount"));
        assertEquals(5, a.count("AcceptCount"));
        assertEquals(0, a.count("OpenConnections"));
        a.assertBalanced();
        assertEquals(2, a.siteCount(SITE + "channelBlocking(", "connects"));
        assertEquals(2, a.siteCount(SITE + "channelNonBlocking(", "connects"), "finishConnect counted once");
        assertEquals(1, a.siteCount(SITE + "channelAdaptor(", "connects"));
        assertEquals(5, a.sumSites(SITE + "channelServer(", "accepts"), "accept() and socket().accept()");
        assertEquals(2, a.rows("CallSites").keySet().stream().filter(k -> k.startsWith(SITE + "channelServer(")).count());
        assertEquals("5", a.destination("127.0.0.1:" + port(r)).get("connects"));
    }

    @Test
    void asynchronousChannelsFutureAndHandlerFromTheCallingThread() {
        ForkedJvm.Result r = run("async");
        Audit a = r.audit();
        assertEquals(4, a.count("ConnectCount"));
        assertEquals(1, a.count("ConnectFailureCount"));
        assertEquals(4, a.count("AcceptCount"));
        a.assertBalanced();
        assertEquals(2, a.siteCount(SITE + "asyncFuture(", "connects"));
        // completed on a channel-group thread, attributed to the thread that called connect
        assertEquals(2, a.siteCount(SITE + "asyncHandler(", "connects"));
        assertEquals(1, a.siteCount(SITE + "asyncRefused(", "failures"));
    }

    @Test
    void sslSocketIsOneConnectionAndLayeringIsNone() {
        ForkedJvm.Result r = run("ssl");
        Audit a = r.audit();
        assertEquals(2, a.count("ConnectCount"));
        assertEquals(2, a.count("AcceptCount"));
        assertEquals(4, a.count("CloseCount"));
        a.assertBalanced();
        assertEquals(1, a.siteCount(SITE + "sslDirect(", "connects"));
        assertEquals(1, a.siteCount(SITE + "sslLayered(", "connects"));
        assertEquals(1, a.siteCount(SITE + "sslLayered(", "closes"));
    }

    @Test
    void failedConnectsAreCountedAndClassified() {
        ForkedJvm.Result r = run("failures");
        Audit a = r.audit();
        Map<String, Map<String, String>> causes = a.rows("FailureCounts");
        assertEquals("2", causes.get("refused").get("value"));
        assertEquals(String.valueOf(expected(r, "timedOut")), causes.get("timedOut").get("value"));
        assertTrue(expected(r, "timedOut") >= 1, r.out);
        assertEquals(expected(r, "failures"), a.count("ConnectFailureCount"));
        assertEquals(expected(r, "connects"), a.count("ConnectCount"));
        assertEquals(2, a.siteCount(SITE + "refused(", "failures"));
        assertEquals("refused=2", a.site(SITE + "refused(").get("failuresByCause"));
        a.assertBalanced();
    }

    @Test
    void exactUnderSixteenThreadsMixingApis() {
        ForkedJvm.Result r = run("concurrent", "16", "100");
        Audit a = r.audit();
        assertEquals(1600, expected(r, "connects"));
        assertEquals(1600, a.count("ConnectCount"));
        assertEquals(1600, a.count("AcceptCount"));
        assertEquals(3200, a.count("CloseCount"));
        assertEquals(0, a.count("OpenConnections"));
        a.assertBalanced();
        long perSite = a.rows("CallSites").values().stream().mapToLong(m -> Long.parseLong(m.get("connects"))).sum();
        assertEquals(1600, perSite);
        assertEquals(400, a.siteCount(SITE + "asyncFuture(", "connects"));
        assertEquals(400, a.siteCount(SITE + "channelNonBlocking(", "connects"));
    }

    @Test
    void virtualThreads() {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21");
        ForkedJvm.Result r = run("virtual");
        Audit a = r.audit();
        assertEquals(200, a.count("ConnectCount"));
        assertEquals(200, a.siteCount(SITE + "virtualConnect(", "connects"));
        a.assertBalanced();
    }

    @Test
    void ipv6DestinationsInBrackets() {
        ForkedJvm.Result r = run("ipv6");
        Audit a = r.audit();
        assertEquals(2, a.count("ConnectCount"));
        assertEquals("2", a.destination("[::1]:" + port(r)).get("connects"));
        a.assertBalanced();
    }

    @Test
    void unixDomainAndUdpAreNotCountedAndNotBroken() {
        ForkedJvm.Result r = run("notTcp");
        Audit a = r.audit();
        assertEquals(0, a.count("ConnectCount"));
        assertEquals(0, a.count("AcceptCount"));
        assertEquals(0, a.count("CloseCount"));
        assertEquals(0, a.count("AgentErrorCount"));
    }

    @Test
    void aDroppedSocketOrChannelIsALeakNotAnOpenConnectionForever() {
        ForkedJvm.Result r = run("leak");
        Audit a = r.audit();
        assertEquals(2, a.count("ConnectCount"));
        assertEquals(2, a.count("LeakCount"));
        assertEquals(1, a.siteCount(SITE + "leakSocket(", "leaked"));
        assertEquals(1, a.siteCount(SITE + "leakChannel(", "leaked"));
        a.assertBalanced();
    }

    @Test
    void connectionsTheApplicationNeverClosedAfterThePeerDidAreInCloseWait() {
        ForkedJvm.Result r = ForkedJvm.withAgent("census.interval=500ms").run(WORKLOAD, "closeWait");
        Audit a = r.audit();
        assertEquals("true", a.attributes.get("CensusAvailable"));
        assertEquals(1, a.count("OwnedCloseWaitCount"));
        assertEquals(1, a.siteCount(SITE + "closeWaitOpen(", "closeWait"));
        assertEquals(1, a.siteCount(SITE + "closeWaitOpen(", "open"));
    }

    @Test
    void withoutProcTheCensusSaysSoAndTheRestWorks() {
        ForkedJvm.Result r = ForkedJvm.withAgent("proc.root=/nonexistent", "census.interval=500ms")
                .run(WORKLOAD, "socket", "awaitCensusPass"); // its first pass says that it is unavailable
        Audit a = r.audit();
        assertEquals("false", a.attributes.get("CensusAvailable"));
        assertEquals(7, a.count("ConnectCount"));
        a.assertBalanced();
        assertEquals(1, r.err.lines().filter(l -> l.contains("the kernel's view is unavailable")).count(), r.err);
        assertEquals("NaN", a.destination("127.0.0.1:" + port(r)).get("secondsToExhaustion"), "unknown without a census");
        assertEquals("true", a.attributes.get("CensusPartial"));
    }

    @Test
    void theOldSocketImplementationIsStillSeen() {
        assumeTrue(Runtime.version().feature() < 18, "-Djdk.net.usePlainSocketImpl exists up to JDK 17");
        ForkedJvm.Result r = ForkedJvm.withAgent().jvmArg("-Djdk.net.usePlainSocketImpl=true").run(WORKLOAD, "socket");
        Audit a = r.audit();
        assertEquals(7, a.count("ConnectCount"));
        assertEquals(7, a.count("AcceptCount"));
        a.assertBalanced();
        assertTrue(r.err.contains("usePlainSocketImpl"), r.err);
    }
}
