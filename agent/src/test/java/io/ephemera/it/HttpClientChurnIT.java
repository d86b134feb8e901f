package io.ephemera.it;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Churn that stays open, with the JDK's own {@code java.net.http.HttpClient} against a JDK
 * {@code HttpServer} on 127.0.0.1 (see {@code HttpClientChurn}): a new client per request leaves
 * each connection open and idle in a pool nothing reuses, and is a churn finding that names the
 * method and says its connections pile up open; one shared client is never a finding. The
 * connects are counted exactly at each method ({@code send()} connects on the caller's thread).
 */
class HttpClientChurnIT {

    private static final String SITE = "io.ephemera.it.app.HttpClientChurn.";

    @Test
    void aNewHttpClientPerRequestPilesUpOpenAndASharedOneIsNeverAFinding() {
        ForkedJvm.Result r = ForkedJvm.withAgent("report.interval=1s", "census.interval=500ms")
                // the server and the clients keep idle connections as long as the test runs, on a slow
                // machine too; no Nagle delay on the server's responses (40 ms each on loopback)
                .jvmArg("-Dsun.net.httpserver.idleInterval=600").jvmArg("-Djdk.httpclient.keepalive.timeout=600")
                .jvmArg("-Dsun.net.httpserver.nodelay=true")
                .run("io.ephemera.it.app.HttpClientChurn");
        Audit audit = r.audit();
        assertEquals(150, audit.siteCount(SITE + "perRequest(", "connects"), r.toString());
        assertEquals(1, audit.siteCount(SITE + "shared(", "connects"), "one shared client, one connection: " + r);
        assertEquals("true", audit.site(SITE + "perRequest(").get("churning"), r.toString());
        assertEquals("false", audit.site(SITE + "shared(").get("churning"), r.toString());
        assertEquals("151", r.out.lines().filter(l -> l.startsWith("clients\t")).findFirst().orElseThrow().split("\t")[1],
                "every client was still reachable when the report was read");

        List<String> report = r.out.lines().filter(l -> l.startsWith("REPORT\t")).map(l -> l.substring(7))
                .collect(Collectors.toList());
        List<String> churn = report.stream().filter(l -> l.startsWith("finding=churn ")).collect(Collectors.toList());
        assertEquals(1, churn.size(), String.join("\n", report));
        String line = churn.get(0);
        assertTrue(line.contains(" site=" + SITE + "perRequest(HttpClientChurn.java:"), line);
        assertTrue(line.contains(" dest=127.0.0.1:"), line);
        assertTrue(line.contains(" connections=\"piling up open: 150 open now, growing\" open=150 open_growth="), line);
        assertTrue(line.contains(" advice=\"share one client and reuse its connections"), line);
        assertTrue(line.contains("java.net.http.HttpClient.newHttpClient() (or a builder's build()) per call"), line);
        int at = report.indexOf(line);
        assertTrue(report.subList(at, report.size()).stream()
                        .anyMatch(l -> l.startsWith("    at " + SITE + "perRequest(HttpClientChurn.java:")),
                "the stack names the method:\n" + String.join("\n", report));

        // every periodic report of the run (each second) and the one read at the end: never the shared client
        String all = r.err + "\n" + String.join("\n", report);
        List<String> sharedFindings = all.lines().filter(l -> l.startsWith("finding=") && l.contains(SITE + "shared("))
                .collect(Collectors.toList());
        assertEquals(List.of(), sharedFindings, r.err);
    }
}
