package io.ephemera.it;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An HTTP client's patterns ({@code io.ephemera.it.app.HttpPatterns}) run in a forked JVM with the
 * agent, and what the handoff ITs assert of them: exact connects at each application method, every
 * connection seen, none attributed to a library frame, the per-request site flagged and the shared
 * ones never.
 */
final class HttpPatternsRun {

    static final String APP = "io.ephemera.it.app.";
    /**
     * A churning site connects at least this often: the per-request pattern is paced over 4.5 s or
     * more (a sustained rate, not a burst), and the verdict is read right after it, so any machine
     * that makes a request a second passes.
     */
    private static final String CHURN_RATE = "churn.rate=1/s";

    final ForkedJvm.Result result;
    /** The MXBean right after the requests, while the per-request site's rate is current. */
    final Audit afterRequests;
    /** The MXBean after three census passes. */
    final Audit last;
    /** The agent's report right after the requests. */
    final String report;
    private final String clients;

    private HttpPatternsRun(ForkedJvm.Result result, String clients) {
        this.result = result.assertOk();
        this.clients = clients;
        int at = result.out.indexOf("snapshot\tfinal");
        assertTrue(at > 0, result.toString());
        this.afterRequests = Audit.parse(result.out.substring(0, at));
        this.last = result.audit();
        this.report = result.out.lines().filter(l -> l.startsWith("report\t")).map(l -> l.substring(7))
                .collect(Collectors.joining("\n"));
    }

    /** Runs {@code io.ephemera.it.app.CLIENTS} with {@code requests} requests per pattern. */
    static HttpPatternsRun of(String clients, int requests, List<Path> classpath) {
        ForkedJvm.Result r = ForkedJvm.withAgent("census.interval=1s", CHURN_RATE)
                .jvmArg("-Dsun.net.httpserver.idleInterval=600") // the server keeps idle connections
                .classpath(classpath).run(APP + clients, Integer.toString(requests));
        return new HttpPatternsRun(r, clients);
    }

    /** The call site row of the application method {@code method} of the clients' class. */
    Map<String, String> site(Audit a, String method) {
        return a.site(APP + clients + "." + method + "(");
    }

    /**
     * {@code requests} connects at {@code perRequest}, at each shared method as many as the server
     * saw on its path (a handful at most); in all as many as the server accepted; every connection
     * seen and each attributed to an application method, whose stack shows {@code library}'s
     * frames; with {@code handoff}, then the library thread's.
     */
    void assertCountedAndAttributed(int requests, String library, boolean handoff, String... sharedMethods) {
        Audit a = last;
        long connects = ConnectionsIT.expected(result, "accepts");
        assertEquals(requests, ConnectionsIT.expected(result, "perRequest"), "a connection per request");
        assertEquals(connects, a.count("ConnectCount"), "ConnectCount equals the server's accepts\n" + result);
        assertEquals(connects, a.count("AcceptCount"));
        assertEquals(0, a.count("ConnectFailureCount"));
        assertEquals(0, a.count("UnseenConnections"), "every connection was seen");
        a.assertBalanced();
        assertEquals("", a.attributes.get("MissingHooks"));

        Map<String, String> perRequest = site(a, "perRequest");
        assertEquals(Integer.toString(requests), perRequest.get("connects"), a.rows("CallSites").keySet().toString());
        for (String shared : sharedMethods) {
            long seen = ConnectionsIT.expected(result, shared);
            assertTrue(seen >= 1 && seen * 5 <= requests, "a shared client opens a handful at most: " + seen);
            assertEquals(Long.toString(seen), site(a, shared).get("connects"), shared);
        }
        assertEquals(connects, a.sumSites(APP + clients + ".", "connects"), "every connect at an application method");
        for (Map.Entry<String, Map<String, String>> s : a.rows("CallSites").entrySet()) {
            if (!s.getValue().get("connects").equals("0") || !s.getValue().get("failures").equals("0")) {
                assertTrue(s.getKey().startsWith(APP), "a connect attributed to the library: " + s.getKey());
            }
        }
        String stack = perRequest.get("stack");
        int application = stack.indexOf(APP + clients + ".perRequest(");
        assertTrue(stack.contains(library) && stack.indexOf(library) < application, stack);
        int handedOff = stack.indexOf("--- connected on thread ");
        if (handoff) {
            assertTrue(application >= 0 && application < handedOff, "the application's frames, then the library thread's:\n" + stack);
        } else {
            assertTrue(handedOff < 0, "connected on the caller's thread:\n" + stack);
        }
    }

    /** The per-request site churns: its {@code churning} item, and a churn finding naming the method. */
    void assertPerRequestFlagged() {
        assertEquals("true", site(afterRequests, "perRequest").get("churning"), afterRequests.rows("CallSites").toString());
        assertTrue(report.lines().anyMatch(l -> l.startsWith("finding=churn site=" + APP + clients + ".perRequest(")), report);
    }

    /**
     * The per-request site whose connections stay open idle (a new client per request, never closed)
     * churns all the same. How an open idle connection counts is the {@code churnopen} branch's work:
     * until it lands this fails, and only this.
     */
    void assertPerRequestFlaggedWhileItsConnectionsStayOpen() {
        assertPerRequestFlagged();
    }

    /** A shared client's site is never flagged. */
    void assertSharedNeverFlagged(String... sharedMethods) {
        for (String shared : sharedMethods) {
            assertEquals("false", site(afterRequests, shared).get("churning"), shared);
            assertEquals("false", site(last, shared).get("churning"), shared);
            assertFalse(report.contains("finding=churn site=" + APP + clients + "." + shared + "("), report);
        }
    }
}
