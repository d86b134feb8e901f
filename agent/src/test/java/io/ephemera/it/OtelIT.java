package io.ephemera.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ephemera beside the OpenTelemetry Java agent (which ships its own Byte Buddy and instruments the
 * JDK's HTTP client and server): both start in either order and with ephemera attached later, the
 * counts stay exact, OpenTelemetry's spans still come out, and {@code deploy/otel/ephemera-jmx.yaml}
 * turns the MXBean into OpenTelemetry metrics. The build also runs the exact-count tests again
 * with OpenTelemetry loaded first (ConnectionsIT and each client library's), and after ephemera
 * (ConnectionsIT).
 */
class OtelIT {

    static final Path RULES = Path.of(System.getProperty("ephemera.deploy", "../deploy"), "otel", "ephemera-jmx.yaml")
            .toAbsolutePath();
    private static final Pattern LINKAGE = Pattern.compile(
            "LinkageError|NoClassDefFoundError|VerifyError|ClassCircularityError|IncompatibleClassChangeError");

    @ParameterizedTest(name = "OpenTelemetry loaded {0}")
    @ValueSource(strings = {"first", "after"})
    void bothAgentsStartTheirSpansComeOutAndTheCountsStayExact(String order) {
        ForkedJvm.Result r = ForkedJvm.withAgent().otel(order).run("io.ephemera.it.app.OtelTraffic");
        assertEquals(0, r.exit, r.toString());
        Audit a = r.audit();
        long connects = ConnectionsIT.expected(r, "connects");
        assertEquals(connects, a.count("ConnectCount"), r.toString());
        assertEquals(ConnectionsIT.expected(r, "accepts"), a.count("AcceptCount"), "ConnectCount equals the server's accepts");
        assertEquals(connects, a.siteCount("io.ephemera.it.app.OtelTraffic.request(", "connects"));
        assertEquals("", a.attributes.get("MissingHooks"));
        assertTrue(r.err.contains("18 of 18 hooks"), r.err);
        assertTrue(r.err.contains("opentelemetry-javaagent - version:"), "OpenTelemetry started: " + r.err);
        assertTrue(r.err.contains("LoggingSpanExporter"), "OpenTelemetry's spans still come out: " + r.err);
        assertNoLinkageError(r.err);
    }

    @Test
    void attachedLaterBesideOpenTelemetry() throws Exception {
        try (ForkedJvm.Running app = AttachIT.target().otel("first").start("io.ephemera.it.app.Workload", "attachTarget")) {
            String pid = app.awaitLine("READY", 60).split("\t")[1].trim();
            AttachIT.load(pid, "");
            app.send("GO");
            ForkedJvm.Result r = app.finish(90);
            Audit a = r.audit();
            assertTrue(r.err.contains("ephemera: attached"), r.err);
            assertEquals(3, a.count("ConnectCount"), "only connects after the attach");
            assertEquals(3, a.siteCount("io.ephemera.it.app.Workload.afterAttach(", "connects"));
            assertEquals("", a.attributes.get("MissingHooks"));
            assertNoLinkageError(r.err);
        }
    }

    /**
     * The JMX rules file, read by the OpenTelemetry agent's JMX metric insight: every metric it
     * names comes out of the logging exporter, and the connect count is the MXBean's.
     */
    @Test
    void theJmxRulesTurnTheMXBeanIntoOpenTelemetryMetrics() throws Exception {
        List<String> metrics = metricsIn(RULES);
        assertTrue(metrics.size() >= 20, metrics.toString());
        ForkedJvm j = ForkedJvm.withAgent("census.interval=1s").otel("first")
                .jvmArg("-Dotel.jmx.config=" + RULES)
                .jvmArg("-Dotel.metrics.exporter=console")
                .jvmArg("-Dotel.metric.export.interval=1000")
                .jvmArg("-Dotel.instrumentation.runtime-telemetry.enabled=false");
        try (ForkedJvm.Running app = j.start("io.ephemera.it.app.MetricsTarget")) {
            app.awaitLine("READY", 60);
            // the target made its 5 connects before READY: the next export shows them all
            app.awaitErr("name=ephemera.connect.count", 60);
            app.awaitErr("name=ephemera.open.connections", 60);
            Thread.sleep(2_500); // two more exports after the connects, whatever the first one held
            app.send("STOP");
            ForkedJvm.Result r = app.finish(60);
            for (String m : metrics) {
                assertTrue(r.err.contains("name=ephemera." + m + ","), "metric ephemera." + m + " came out: " + r.err);
            }
            List<String> connects = values(r.err, "ephemera.connect.count");
            assertEquals("5", connects.get(connects.size() - 1), "the MXBean's ConnectCount: " + connects);
            assertTrue(values(r.err, "ephemera.open.connections").contains("2"), // its two ends, both in this JVM
                    "the one connection it holds until STOP: " + values(r.err, "ephemera.open.connections"));
            assertFalse(r.err.contains("Error while loading JMX configuration"), r.err);
            assertNoLinkageError(r.err);
        }
    }

    /** The metric names (without the prefix) a rules file defines. */
    static List<String> metricsIn(Path rules) throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s+metric:\\s*(\\S+)\\s*$").matcher(Files.readString(rules));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The value of each data point the logging exporter printed for {@code metric}, in order. */
    private static List<String> values(String err, String metric) {
        List<String> out = new ArrayList<>();
        Pattern value = Pattern.compile("value=([0-9.]+)");
        for (String line : err.split("\n")) {
            if (line.contains("name=" + metric + ",")) {
                Matcher v = value.matcher(line);
                assertTrue(v.find(), line);
                out.add(v.group(1));
            }
        }
        assertFalse(out.isEmpty(), "no " + metric + " in " + err);
        return out;
    }

    private static void assertNoLinkageError(String err) {
        assertFalse(LINKAGE.matcher(err).find(), "no linkage error with both agents: " + err);
    }
}
