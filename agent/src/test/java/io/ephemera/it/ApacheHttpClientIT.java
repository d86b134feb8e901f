package io.ephemera.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Apache HttpClient 5, from the jars the build copies into target/httpclient5/5.6: the classic
 * client connects on the caller's thread, the async one on its I/O reactor's; both are attributed
 * to the application method that asked.
 */
class ApacheHttpClientIT {

    private static final int REQUESTS = 30;
    private static final Path JARS = Path.of("target/httpclient5/5.6").toAbsolutePath();

    private static List<Path> jars() {
        return LibraryPatterns.jarsIn(JARS);
    }

    @Test
    void classicConnectsOnTheCallersThread() {
        HttpPatternsRun run = HttpPatternsRun.of("ApacheClassicClients", REQUESTS, jars());
        run.assertCountedAndAttributed(REQUESTS, "org.apache.hc.", false, "shared");
        run.assertSharedNeverFlagged("shared");
        run.assertPerRequestFlagged();
    }

    @Test
    void asyncConnectsOnTheReactorAreTheCallers() {
        HttpPatternsRun run = HttpPatternsRun.of("ApacheAsyncClients", REQUESTS, jars());
        run.assertCountedAndAttributed(REQUESTS, "org.apache.hc.", true, "shared");
        for (String hook : List.of("IOSessionRequest.<init>", "SingleCoreIOReactor.processConnectionRequest")) {
            assertEquals("installed in org.apache.hc", run.last.rows("LibraryHooks")
                    .get("org.apache.hc.core5.reactor." + hook).get("value"), hook);
        }
        run.assertSharedNeverFlagged("shared");
        run.assertPerRequestFlagged();
    }
}
