package io.ephemera.it;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The port-exhaustion lab: a churning client in a network namespace with 300 ephemeral ports and
 * {@code tcp_tw_reuse=0} runs the range out, and the agent shows it coming before
 * {@code connect()} fails.
 */
class KernelLabIT {

    private static final String CHURNER = "io.ephemera.it.app.Churner";
    private static final String RANGE = "net.ipv4.ip_local_port_range=40000 40299";
    private static final String PREMADE = ForkedJvm.JAVA + " -cp " + ForkedJvm.TEST_CLASSES + " " + CHURNER + " timewait 20";

    private static ForkedJvm.Result lab(String twReuse, String mode, int seconds) {
        NetworkNamespace.assumeAvailable();
        return ForkedJvm.withAgent("census.interval=500ms")
                .under(NetworkNamespace.withBefore(PREMADE, RANGE, "net.ipv4.tcp_tw_reuse=" + twReuse,
                        "net.ipv4.tcp_timestamps=1"))
                .run(120, CHURNER, mode, "50", String.valueOf(seconds));
    }

    /** The sample lines: item → value, in time order. */
    private static List<Map<String, String>> samples(String out) {
        List<Map<String, String>> samples = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("sample\t")) {
                Map<String, String> s = new HashMap<>();
                String[] f = line.split("\t");
                s.put("millis", f[1]);
                for (int i = 2; i < f.length; i++) {
                    int eq = f[i].indexOf('=');
                    if (!f[i].substring(eq + 1).equals("NaN")) { // unknown before the first census: as if absent
                        s.put(f[i].substring(0, eq), f[i].substring(eq + 1));
                    }
                }
                samples.add(s);
            }
        }
        return samples;
    }

    private static long firstFailureMillis(String out) {
        for (String line : out.split("\n")) {
            if (line.startsWith("failure\t")) {
                return Long.parseLong(line.split("\t")[1]);
            }
        }
        return Long.MAX_VALUE;
    }

    @Test
    void churnRunsTheRangeOutAndTheAgentSawItComing() {
        ForkedJvm.Result r = lab("0", "churn", 25);
        Audit a = r.audit();
        assertTrue(r.out.contains("Cannot assign requested address"), r.out);
        assertTrue(a.count("AddressNotAvailableCount") >= 1);
        long failedAt = firstFailureMillis(r.out);

        List<Map<String, String>> before = new ArrayList<>();
        for (Map<String, String> s : samples(r.out)) {
            if (Long.parseLong(s.get("millis")) < failedAt && s.containsKey("headroomPercent")) {
                before.add(s);
            }
        }
        assertTrue(before.size() >= 3, "samples before the first failure:\n" + r.out);
        Map<String, String> last = before.get(before.size() - 1);
        assertTrue(Double.parseDouble(last.get("headroomPercent")) < Double.parseDouble(before.get(0).get("headroomPercent")),
                "headroom falls:\n" + r.out);
        assertTrue(before.stream().anyMatch(s -> Double.parseDouble(s.get("secondsToExhaustion")) > 0),
                "a finite forecast before connect() failed:\n" + r.out);
        assertEquals("60.0", last.get("holdSeconds"));
        assertTrue(before.stream().anyMatch(s -> "true".equals(s.get("churning"))), "the site is flagged:\n" + r.out);

        // TIME_WAIT is attributed to the call site that closed first, and only to it
        long owned = a.count("OwnedTimeWaitCount");
        assertTrue(owned > 200, "most of 300 ports in TIME_WAIT are this JVM's: " + owned);
        long siteOwned = a.sumSites("io.ephemera.it.app.Churner.churnRequest(", "ownedTimeWait");
        assertEquals(owned, siteOwned, "all of it from churnRequest");
        // 20 made beforehand by another process: seen, never owned
        assertTrue(a.count("TimeWaitCount") >= owned + 19, "the kernel now and then keeps one fewer: " + a.attributes);
        assertEquals("true", a.site("io.ephemera.it.app.Churner.churnRequest(").get("churning"));
        assertEquals("40000-40299", a.attributes.get("EphemeralPortRange"));
        assertEquals(0, a.count("TcpTwReuse"));
        assertEquals("true", a.attributes.get("CensusAvailable"));

        // what the log says, at once for the failure and in the report at exit
        assertTrue(r.err.lines().anyMatch(l -> l.startsWith("finding=address-not-available site=io.ephemera.it.app.Churner.churnRequest(")
                && l.contains("error=\"java.net.BindException: Cannot assign requested address\"")), r.err);
        assertTrue(r.err.lines().anyMatch(l -> l.startsWith("finding=exhaustion-risk dest=127.0.0.1:")
                && l.contains("sites=\"io.ephemera.it.app.Churner.churnRequest(")), r.err);
        assertTrue(r.err.lines().anyMatch(l -> l.startsWith("finding=churn site=io.ephemera.it.app.Churner.churnRequest(")
                && l.contains("hold=60s") && l.contains("net.ipv4.ip_local_port_range is 40000 40299")), r.err);
    }

    @Test
    void whenTheServerClosesFirstItsTimeWaitIsOwnedByTheAcceptingSite() {
        // the default range: in a narrow one the client soon reuses a port whose 4-tuple the server still holds
        // in TIME_WAIT, and the kernel recycles that TIME_WAIT for the new connection
        NetworkNamespace.assumeAvailable();
        ForkedJvm.Result r = ForkedJvm.withAgent("census.interval=500ms")
                .under(NetworkNamespace.with("net.ipv4.tcp_tw_reuse=0"))
                .run(120, CHURNER, "serverCloses", "50", "6");
        Audit a = r.audit();
        long requests = r.out.lines().filter(l -> l.startsWith("requests\t")).mapToLong(l -> Long.parseLong(l.substring(9)))
                .findFirst().orElseThrow();
        long owned = a.sumSites("io.ephemera.it.app.Churner$EchoServer.serve(", "ownedTimeWait");
        assertTrue(requests > 100, r.out);
        assertTrue(Math.abs(owned - requests) <= requests / 20, "server-side TIME_WAIT " + owned + " of " + requests);
        assertEquals(0, a.sumSites("io.ephemera.it.app.Churner.untilServerCloses(", "ownedTimeWait"));
    }

    @Test
    void withTwReuseTheHoldIsShortAndNothingIsForecast() {
        ForkedJvm.Result r = lab("1", "churn", 10);
        Audit a = r.audit();
        assertEquals(0, a.count("AddressNotAvailableCount"), r.out);
        List<Map<String, String>> samples = samples(r.out);
        assertTrue(samples.size() >= 10, r.out);
        for (Map<String, String> s : samples) {
            if (s.containsKey("holdSeconds")) {
                assertTrue(Double.parseDouble(s.get("holdSeconds")) <= 1.0, s.toString());
                assertEquals("-1.0", s.get("secondsToExhaustion"), s.toString());
            }
        }
    }

    @Test
    void aPooledClientAtTheSameRateIsNotFlagged() {
        ForkedJvm.Result r = lab("0", "pooled", 10);
        Audit a = r.audit();
        assertEquals(0, a.count("AddressNotAvailableCount"));
        assertEquals(1, a.siteCount("io.ephemera.it.app.Churner.run(", "connects"), "one kept-alive connection");
        for (Map<String, String> s : samples(r.out)) {
            assertFalse("true".equals(s.get("churning")), s.toString());
            if (s.containsKey("secondsToExhaustion")) {
                assertEquals("-1.0", s.get("secondsToExhaustion"), s.toString());
            }
        }
        a.rows("CallSites").values().forEach(row -> assertEquals("false", row.get("churning"), row.toString()));
    }
}
