package io.ephemera.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client library's workload (ReactorNettyClients, GrpcClients) must show: a connection per
 * request counted at the application method that made it and flagged, a shared client's few
 * connections counted at its method and never flagged, every connection seen and none attributed
 * to the library, the library's thread named under the application's frames.
 */
final class LibraryPatterns {

    static final String APP = "io.ephemera.it.app.";

    private LibraryPatterns() {
    }

    /** The jars the build copied into {@code dir} (the system property {@code property} names it). */
    static List<Path> jars(String property, String fallback) {
        return jarsIn(Path.of(System.getProperty(property, fallback)));
    }

    /** The jars the build copied into {@code dir}, sorted; fails when there are none. */
    static List<Path> jarsIn(Path dir) {
        Path abs = dir.toAbsolutePath();
        try (Stream<Path> files = Files.list(abs)) {
            List<Path> jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
            assertFalse(jars.isEmpty(), "the build copies the library into " + abs);
            return jars;
        } catch (IOException e) {
            throw new AssertionError("the build copies the library into " + abs, e);
        }
    }

    /**
     * The per-request and shared patterns of {@code clients}; {@code libraryFrames} is the
     * library's package, which the per-request site's stack shows (the report's advice reads it).
     */
    static void assertPerRequestAndShared(ForkedJvm.Result r, String clients, String libraryFrames) {
        Audit a = r.audit();
        long perRequest = ConnectionsIT.expected(r, "perRequest");
        assertEquals(ConnectionsIT.expected(r, "perRequestCalls"), perRequest, "a connection per request: " + r.out);
        Map<String, String> site = a.site(APP + clients + ".perRequest(");
        assertEquals(Long.toString(perRequest), site.get("connects"), a.rows("CallSites").keySet().toString());
        assertHandedOff(site, clients + ".perRequest(", libraryFrames);
        assertEquals("true", verdict(r, "perRequest"), "the per-request site is churning, right after it ran");
        assertTrue(r.out.lines().anyMatch(l -> l.startsWith("report\tfinding=churn site=" + APP + clients + ".perRequest(")),
                "a churn finding names the method:\n" + r.out);

        long shared = ConnectionsIT.expected(r, "shared");
        // kept-alive connections, reused: one, or a few where a connection's release to the pool
        // raced the next request (Reactor Netty releases on the event loop after block() returned)
        assertTrue(shared >= 1 && shared < perRequest / 4, "a shared client's pool reuses its connections: " + shared);
        Map<String, String> sharedSite = a.site(APP + clients + ".shared(");
        assertEquals(Long.toString(shared), sharedSite.get("connects"));
        assertEquals("false", verdict(r, "shared"), "a shared client is never churning");
        assertEquals("false", sharedSite.get("churning"));
        assertFalse(r.out.lines().anyMatch(l -> l.startsWith("report\tfinding=churn site=" + APP + clients + ".shared(")));

        long accepts = ConnectionsIT.expected(r, "accepts");
        assertEquals(accepts, a.count("ConnectCount"), "ConnectCount equals the server's accepts");
        assertEquals(accepts, a.count("AcceptCount"));
        assertEquals(accepts, a.sumSites("", "connects"), "every connect has a call site");
        assertEquals(0, a.count("ConnectFailureCount"));
        for (Map.Entry<String, Map<String, String>> row : a.rows("CallSites").entrySet()) {
            if (!row.getValue().get("connects").equals("0")) {
                assertTrue(row.getKey().startsWith(APP), "a connect attributed to the library: " + row.getKey()
                        + "\n" + row.getValue().get("stack"));
            }
        }
        assertEquals("0", line(r, "unseenWhileOpen"), "every open connection was seen");
        assertEquals(0, a.count("UnseenConnections"));
        assertEquals("", a.attributes.get("MissingHooks"));
    }

    /**
     * The site's stack: the application's frames down to {@code method}, the library's among them,
     * then the library's thread that connected.
     */
    static void assertHandedOff(Map<String, String> site, String method, String libraryFrames) {
        String stack = site.get("stack");
        int handoff = stack.indexOf("--- connected on thread ");
        assertTrue(handoff > 0, stack);
        assertTrue(stack.indexOf(APP + method) >= 0 && stack.indexOf(APP + method) < handoff, stack);
        assertTrue(stack.substring(0, handoff).contains(libraryFrames), stack);
    }

    /**
     * Connections a client per request leaves open and idle (never closed) are flagged like churn.
     * The verdict for open connections is another branch's work (churnopen): until it lands, this
     * is the assertion that fails.
     */
    static void assertFlaggedWhileOpenIdle(ForkedJvm.Result r, String pattern) {
        assertEquals("true", verdict(r, pattern), pattern + ": connections left open and idle, one per request");
    }

    static String verdict(ForkedJvm.Result r, String pattern) {
        return line(r, "verdict\t" + pattern);
    }

    private static String line(ForkedJvm.Result r, String key) {
        return r.out.lines().filter(l -> l.startsWith(key + "\t")).map(l -> l.substring(key.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + " in\n" + r.out));
    }
}
