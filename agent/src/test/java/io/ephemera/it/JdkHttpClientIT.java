package io.ephemera.it;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDK's {@code java.net.http.HttpClient}: {@code sendAsync} connects on the client's executor and
 * {@code send} on the caller's thread; both are attributed to the application method that asked.
 */
class JdkHttpClientIT {

    private static final int REQUESTS = 30;

    @Test
    void sendAsyncConnectsAreTheCallersAndANewClientPerRequestIsFlagged() {
        HttpPatternsRun run = HttpPatternsRun.of("JdkHttpClients", REQUESTS, List.of());
        run.assertCountedAndAttributed(REQUESTS, "jdk.internal.net.http.", true, "shared", "sharedSend");
        Audit a = run.last;
        for (String hook : List.of("MultiExchange.responseAsync(Executor)", "MultiExchange.setExchange",
                "PlainHttpConnection.connectAsync")) {
            assertEquals("installed in jdk.internal.net.http", a.rows("LibraryHooks")
                    .get("jdk.internal.net.http." + hook).get("value"), hook);
        }
        assertTrue(run.result.err.contains("18 of 18 hooks"), "java.net.http is hooked as it loads, not counted with the JDK's:\n"
                + run.result.err);
        run.assertSharedNeverFlagged("shared", "sharedSend");
        run.assertPerRequestFlaggedWhileItsConnectionsStayOpen();
    }
}
