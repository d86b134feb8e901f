package io.ephemera.it;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rule the churn advice states for {@code HttpURLConnection}, measured on the JDK under test
 * (CI runs it on 17 and 25), without the agent: 50 sequential requests to a local
 * {@code com.sun.net.httpserver.HttpServer} on loopback, and how many connections the server saw.
 * The connection is reused when the body is read to the end and the stream closed, a
 * {@code disconnect()} after that is harmless; a {@code disconnect()} before the close, or
 * {@code Connection: close}, costs a connection per request.
 */
class UrlConnectionReuseIT {

    @Test
    void keepAliveNeedsTheBodyReadAndClosedBeforeAnyDisconnect() {
        ForkedJvm.Result r = ForkedJvm.withoutAgent().jvmArg("-Dsun.net.httpserver.idleInterval=600")
                .run("io.ephemera.it.app.UrlConnectionReuse");
        r.assertOk();
        Map<String, Integer> measured = new TreeMap<>();
        r.out.lines().filter(l -> l.startsWith("pattern=")).forEach(l -> {
            String[] kv = l.split(" ");
            measured.put(kv[0].substring("pattern=".length()), Integer.parseInt(kv[1].substring("connections=".length())));
        });
        Map<String, Integer> rule = new TreeMap<>(Map.of(
                "read-close", 1,
                "read-close-disconnect", 1,
                "error-read-close", 1,
                "read-disconnect-close", 50,
                "read-disconnect", 50,
                "connection-close", 50));
        assertEquals(rule, measured, "connections for 50 requests on Java " + Runtime.version() + ":\n" + r.out + r.err);
    }
}
