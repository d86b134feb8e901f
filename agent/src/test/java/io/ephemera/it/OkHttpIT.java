package io.ephemera.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OkHttp 4 and 5, each in a JVM whose class path holds only that version (copied by the build into
 * target/okhttp/VERSION): every connection is the application method's that called
 * {@code execute()} or {@code enqueue()}, whichever OkHttp thread connected (5 connects on its
 * TaskRunner threads even for {@code execute()}), so a new client per request and a shared client
 * are two sites, told apart.
 */
class OkHttpIT {

    private static final int PER_REQUEST = 150;
    private static final int SHARED = 300;
    private static final int ASYNC = 40; // shared enqueue()s, one after the other
    private static final String APP = "io.ephemera.it.app.OkHttpClients.";
    private static final String HANDOFF = "--- connected on thread ";
    private static final Path OKHTTP = Path.of(System.getProperty("ephemera.okhttp.dir", "target/okhttp")).toAbsolutePath();

    private static List<Path> jars(String version) {
        return LibraryPatterns.jarsIn(OKHTTP.resolve(version));
    }

    /**
     * {@code churn.rate=2/s}: a per-request site is judged on the connects of its last 10 seconds
     * (at least 20, where the default asks for 100): a slow machine that runs the paced requests
     * late still has enough in the window; one shared connection is never a rate.
     */
    @ParameterizedTest(name = "OkHttp {0}")
    @ValueSource(strings = {"4", "5"})
    void everyConnectionIsTheCallersThatAskedForIt(String version) {
        ForkedJvm.Result r = ForkedJvm.withAgent("census.interval=1s", "churn.rate=2/s").classpath(jars(version))
                .run(240, "io.ephemera.it.app.OkHttpClients", Integer.toString(PER_REQUEST),
                        Integer.toString(SHARED), Integer.toString(ASYNC));
        r.assertOk();
        Audit a = r.audit();

        assertEquals(1, ConnectionsIT.expected(r, "sharedExecute"), "one shared connection: " + r.out);
        assertEquals(1, ConnectionsIT.expected(r, "sharedEnqueue"));
        assertEquals(PER_REQUEST, ConnectionsIT.expected(r, "perRequestExecute"));
        assertEquals(PER_REQUEST, ConnectionsIT.expected(r, "perRequestEnqueue"));
        long accepts = ConnectionsIT.expected(r, "accepts");
        assertEquals(2 * PER_REQUEST + 2, accepts);
        assertEquals(accepts, a.count("ConnectCount"), "ConnectCount equals the server's accepts");
        assertEquals(accepts, a.count("AcceptCount"));
        assertEquals(0, a.count("ConnectFailureCount"));
        assertEquals(0, a.count("UnseenConnections"), "every connection was seen");
        a.assertBalanced();

        for (String method : List.of("sharedExecute", "sharedEnqueue", "perRequestExecute", "perRequestEnqueue")) {
            assertEquals(ConnectionsIT.expected(r, method), a.siteCount(APP + method + "(", "connects"), method);
        }
        assertEquals(accepts, a.sumSites(APP, "connects"), "no connect attributed to a library frame: "
                + a.rows("CallSites").keySet());

        // 4 connects on the thread that runs the call: the caller's for execute(), its dispatcher's for enqueue()
        boolean executeHandsOff = version.equals("5");
        assertStack(a, "perRequestExecute", executeHandsOff);
        assertStack(a, "sharedExecute", executeHandsOff);
        assertStack(a, "perRequestEnqueue", true);
        assertStack(a, "sharedEnqueue", true);

        assertHooked(a, version);
        assertSharedNeverFlagged(r, a);
        assertNewClientPerRequestFlaggedThoughItsConnectionsStayOpen(r, "perRequestExecute");
        assertNewClientPerRequestFlaggedThoughItsConnectionsStayOpen(r, "perRequestEnqueue");
    }

    /**
     * The site's stack: OkHttp's frames (the advice names the library from them), then the
     * application's, then, where OkHttp connected on a thread of its own, that thread's.
     */
    private static void assertStack(Audit a, String method, boolean handoff) {
        String stack = a.site(APP + method + "(").get("stack");
        int okhttp = stack.indexOf("okhttp3.");
        int app = stack.indexOf(APP + method + "(");
        assertTrue(okhttp >= 0 && app > okhttp, method + ": OkHttp's frames, then the application's:\n" + stack);
        int marker = stack.indexOf(HANDOFF);
        if (handoff) {
            assertTrue(marker > app, method + ": the application's frames, then the thread that connected:\n" + stack);
            assertTrue(stack.indexOf("java.net.Socket.connect(", marker) > marker, stack);
        } else {
            assertEquals(-1, marker, method + ": connected on the caller's thread:\n" + stack);
        }
    }

    private static void assertHooked(Audit a, String version) {
        assertEquals("", a.attributes.get("MissingHooks"));
        Map<String, Map<String, String>> hooks = a.rows("LibraryHooks");
        String installed = "installed in okhttp3";
        assertEquals(installed, hooks.get("okhttp3.internal.connection.RealCall.enqueue").get("value"));
        assertEquals(installed, hooks.get("okhttp3.internal.connection.RealCall$AsyncCall.run").get("value"));
        String plan = version.equals("5") ? installed : "not loaded"; // 4 has no ConnectPlan
        assertEquals(plan, hooks.get("okhttp3.internal.connection.ConnectPlan.<init>").get("value"), hooks.toString());
        assertEquals(plan, hooks.get("okhttp3.internal.connection.ConnectPlan.connectTcp").get("value"));
    }

    /** A shared client opens one connection: never churn, in the MXBean or in any report. */
    private static void assertSharedNeverFlagged(ForkedJvm.Result r, Audit a) {
        for (String method : List.of("sharedExecute", "sharedEnqueue")) {
            assertEquals("false", a.site(APP + method + "(").get("churning"), method);
            assertFalse(reports(r).contains("finding=churn site=" + APP + method + "("), r.out);
        }
    }

    /**
     * A new client per request, never closed: its connections stay idle in the clients' pools, so
     * none has ended when the verdict is made. Whether such a site is flagged is being built on the
     * {@code churnopen} branch: this assertion waits for it.
     */
    private static void assertNewClientPerRequestFlaggedThoughItsConnectionsStayOpen(ForkedJvm.Result r, String method) {
        assertTrue(r.out.contains("verdict\t" + method + "\ttrue\n"), method + " is flagged as churning:\n"
                + r.out.lines().filter(l -> l.startsWith("verdict")).collect(Collectors.joining("\n")));
        String finding = reports(r).lines().filter(l -> l.startsWith("finding=churn site=" + APP + method + "("))
                .findFirst().orElse("");
        assertTrue(finding.contains("OkHttpClient"), "a churn finding names " + method
                + " and advises sharing one OkHttpClient:\n" + reports(r));
    }

    /** The reports the application printed after each per-request pattern, unescaped. */
    private static String reports(ForkedJvm.Result r) {
        return r.out.lines().filter(l -> l.startsWith("report\t"))
                .map(l -> l.substring(l.indexOf('\t', "report\t".length()) + 1)
                        .replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\"))
                .collect(Collectors.joining("\n"));
    }
}
