package io.ephemera.it;

import io.ephemera.it.app.MetricsTarget;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real JMX clients read the MXBean from outside the agent: the Prometheus JMX exporter as a second
 * Java agent, scraped over HTTP on loopback, with the configuration that docs/metrics.md shows
 * (docs/prometheus-jmx-exporter.yaml, loaded as it is); and jmxterm from another process, by pid.
 */
class MetricsClientsIT {

    private static final String TARGET = "io.ephemera.it.app.MetricsTarget";
    private static final Path EXPORTER_JAR = jar("ephemera.jmx.exporter.jar");
    private static final Path JMXTERM_JAR = jar("ephemera.jmxterm.jar");
    private static final Path DOCS = Path.of(System.getProperty("ephemera.docs", "../docs")).toAbsolutePath().normalize();
    private static final Path EXPORTER_CONFIG = DOCS.resolve("prometheus-jmx-exporter.yaml");
    private static final Path METRICS_DOC = DOCS.resolve("metrics.md");

    /** The command docs/metrics.md gives for jmxterm, less the pid: stdin is {@code open PID} and then this. */
    static final String JMXTERM_GET = "get -s -b io.ephemera:type=ConnectionAudit ConnectCount";
    static final List<String> JMXTERM_FLAGS = List.of("--add-exports", "jdk.jconsole/sun.tools.jconsole=ALL-UNNAMED");

    private static final int CONNECTS = MetricsTarget.BURNED + 1;
    private static final String BURN_SITE = "io.ephemera.it.app.MetricsTarget.burn(MetricsTarget.java:";
    private static final String HOLD_SITE = "io.ephemera.it.app.MetricsTarget.hold(MetricsTarget.java:";

    private static Path jar(String property) {
        String path = System.getProperty(property);
        assertNotNull(path, "system property " + property + " is set by agent/pom.xml (failsafe)");
        return Path.of(path).toAbsolutePath();
    }

    // ---- Prometheus JMX exporter --------------------------------------------------------------------

    @Test
    void prometheusJmxExporterExportsCountersCallSitesAndDestinationsWithTheDocumentedConfig() throws Exception {
        assertTrue(Files.isRegularFile(EXPORTER_JAR), "copied by maven-dependency-plugin: " + EXPORTER_JAR);
        assertTrue(Files.isRegularFile(EXPORTER_CONFIG), EXPORTER_CONFIG.toString());
        for (int attempt = 1; ; attempt++) {
            int port = freeLoopbackPort();
            // census.interval: ports in use are counted by the census, every 5 s by default
            ForkedJvm.Running app = ForkedJvm.withAgent("census.interval=500ms")
                    .jvmArg("-javaagent:" + EXPORTER_JAR + "=127.0.0.1:" + port + ":" + EXPORTER_CONFIG)
                    .start(TARGET);
            try (app) {
                if (!awaitReady(app) && attempt < 3 && app.toString().contains("BindException")) {
                    continue; // another process took the port between our probe and the exporter's bind
                }
                String destinationPort = app.awaitLine("port\t", 5).split("\t")[1].trim();
                checkScrape(port, "127.0.0.1:" + destinationPort);
                app.send("STOP");
                app.finish(ForkedJvm.DEADLINE_SECONDS).assertOk();
                return;
            }
        }
    }

    private static void checkScrape(int port, String destination) throws Exception {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        // the MXBean is registered on an agent thread, and ports in use wait for a census pass
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String text = "";
        Scrape scrape = new Scrape("");
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
                text = response.body();
                scrape = new Scrape(text);
                if (scrape.value("ephemera_connect_count_total", Map.of()).isPresent()
                        && scrape.value("ephemera_destination_ports_in_use", Map.of("destination", destination))
                                .orElse(0.0) >= 1) {
                    break;
                }
            } catch (IOException notYetListening) {
                text = notYetListening.toString();
            }
            Thread.sleep(200);
        }
        Files.writeString(ForkedJvm.AGENT_JAR.resolveSibling("metrics-scrape.txt"), text, StandardCharsets.UTF_8);
        String context = "\nscrape:\n" + text;

        // the plain counters, and their types
        assertEquals(CONNECTS, scrape.require("ephemera_connect_count_total", Map.of(), context), context);
        assertEquals(0, scrape.require("ephemera_connect_failure_count_total", Map.of(), context), context);
        assertEquals(0, scrape.require("ephemera_connect_failures_by_cause_total", Map.of("cause", "refused"), context));
        assertTrue(scrape.require("ephemera_open_connections", Map.of(), context) >= 1, context);
        assertTrue(scrape.require("ephemera_ephemeral_port_budget", Map.of(), context) > 0, context);
        assertEquals(1, scrape.require("ephemera_census_available", Map.of(), context), context);
        assertEquals("counter", scrape.types.get("ephemera_connect_count_total"), context);
        assertEquals("counter", scrape.types.get("ephemera_callsite_connects_total"), context);
        assertEquals("counter", scrape.types.get("ephemera_destination_connects_total"), context);
        assertEquals("gauge", scrape.types.get("ephemera_open_connections"), context);
        assertEquals("gauge", scrape.types.get("ephemera_destination_ports_in_use"), context);

        // Peers, labelled by the peer's key: the burned connections were closed by the client first
        String peer = "127.0.0.1 -> :" + destination.substring(destination.lastIndexOf(':') + 1);
        assertEquals(MetricsTarget.BURNED + 1, scrape.require("ephemera_peer_accepts_total", Map.of("peer", peer), context));
        assertEquals(MetricsTarget.BURNED, scrape.require("ephemera_peer_closed_by_peer_total", Map.of("peer", peer), context));
        assertEquals(1, scrape.require("ephemera_peer_open", Map.of("peer", peer), context), context);
        assertEquals("counter", scrape.types.get("ephemera_peer_accepts_total"), context);

        // CallSites, labelled by the call site's key
        String burn = scrape.labelStartingWith("ephemera_callsite_connects_total", "site", BURN_SITE, context);
        String hold = scrape.labelStartingWith("ephemera_callsite_connects_total", "site", HOLD_SITE, context);
        assertEquals(MetricsTarget.BURNED, scrape.require("ephemera_callsite_connects_total", Map.of("site", burn), context));
        assertEquals(MetricsTarget.BURNED, scrape.require("ephemera_callsite_closes_total", Map.of("site", burn), context));
        assertEquals(0, scrape.require("ephemera_callsite_open", Map.of("site", burn), context), context);
        assertEquals(1, scrape.require("ephemera_callsite_connects_total", Map.of("site", hold), context), context);
        assertEquals(1, scrape.require("ephemera_callsite_open", Map.of("site", hold), context), context);
        scrape.require("ephemera_callsite_p99_lifetime_millis", Map.of("site", burn), context);

        // Destinations, labelled by host:port
        Map<String, String> to = Map.of("destination", destination);
        assertEquals(CONNECTS, scrape.require("ephemera_destination_connects_total", to, context), context);
        assertEquals(1, scrape.require("ephemera_destination_open", to, context), context);
        double inUse = scrape.require("ephemera_destination_ports_in_use", to, context);
        assertTrue(inUse >= 1 && inUse <= CONNECTS, "the held connection, and at most the TIME_WAITs of the others" + context);
        assertTrue(scrape.require("ephemera_destination_port_budget", to, context) > 0, context);
        double headroom = scrape.require("ephemera_destination_headroom_percent", to, context);
        assertTrue(headroom > 0 && headroom <= 100, context);

        // every number the MXBean has went through a rule: none kept the exporter's default name
        List<String> unmapped = text.lines().filter(l -> l.startsWith("io_ephemera")).toList();
        assertTrue(unmapped.isEmpty(), "values no rule named: " + unmapped);

        // docs/metrics.md shows this very configuration, and only metric names this scrape has
        String doc = Files.readString(METRICS_DOC);
        String config = Files.readString(EXPORTER_CONFIG).strip();
        assertTrue(doc.contains(config), "docs/metrics.md must show docs/prometheus-jmx-exporter.yaml verbatim");
        // (the configuration itself has name templates such as ephemera_callsite_$2: not metric names)
        Matcher m = Pattern.compile("\\bephemera_[a-z0-9_]*[a-z0-9]").matcher(doc.replace(config, ""));
        TreeSet<String> unknown = new TreeSet<>();
        while (m.find()) {
            String name = m.group();
            if (!scrape.names().contains(name) && !scrape.names().contains(name + "_total")) {
                unknown.add(name);
            }
        }
        assertTrue(unknown.isEmpty(), "docs/metrics.md names metrics the exporter does not produce: " + unknown + context);
    }

    // ---- jmxterm ------------------------------------------------------------------------------------

    @Test
    void jmxtermReadsConnectCountByPidFromAnotherProcess() throws Exception {
        assertTrue(Files.isRegularFile(JMXTERM_JAR), "copied by maven-dependency-plugin: " + JMXTERM_JAR);
        try (ForkedJvm.Running app = ForkedJvm.withAgent().start(TARGET)) {
            assertTrue(awaitReady(app), "no READY line\n" + app);
            String pid = app.awaitLine("READY", 5).split("\t")[1].trim();
            awaitRegistered(pid);

            Result jmxterm = jmxterm("open " + pid + "\n" + JMXTERM_GET + "\n");
            assertEquals(0, jmxterm.exit, jmxterm.toString());
            // with -v silent stdout is the value alone: what a script or a check reads
            assertEquals(String.valueOf(CONNECTS), jmxterm.out.strip(), jmxterm.toString());

            String doc = Files.readString(METRICS_DOC);
            assertTrue(doc.contains(JMXTERM_GET) && doc.contains(String.join(" ", JMXTERM_FLAGS)),
                    "docs/metrics.md shows the jmxterm command this test runs");
            app.send("STOP");
            app.finish(ForkedJvm.DEADLINE_SECONDS).assertOk();
        }
    }

    /** The MXBean is registered on an agent thread shortly after startup: ask jmxterm until it is there. */
    private static void awaitRegistered(String pid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Result last = null;
        while (System.nanoTime() < deadline) {
            last = jmxterm("open " + pid + "\nbeans -d io.ephemera\n");
            if (last.out.contains("io.ephemera:type=ConnectionAudit")) {
                return;
            }
            Thread.sleep(200);
        }
        fail("jmxterm never listed io.ephemera:type=ConnectionAudit in " + pid + "\n" + last);
    }

    private static Result jmxterm(String stdin) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ForkedJvm.JAVA);
        cmd.addAll(JMXTERM_FLAGS);
        cmd.addAll(List.of("-jar", JMXTERM_JAR.toString(), "-n", "-v", "silent"));
        Process p = new ProcessBuilder(cmd).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread o = ForkedJvm.pump(p.getInputStream(), out);
        Thread e = ForkedJvm.pump(p.getErrorStream(), err);
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            fail("jmxterm timed out: " + cmd + "\nstdout:\n" + out + "\nstderr:\n" + err);
        }
        o.join(10_000);
        e.join(10_000);
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                cmd, stdin);
    }

    private static final class Result {
        final int exit;
        final String out;
        final String err;
        final List<String> command;
        final String stdin;

        Result(int exit, String out, String err, List<String> command, String stdin) {
            this.exit = exit;
            this.out = out;
            this.err = err;
            this.command = command;
            this.stdin = stdin;
        }

        @Override
        public String toString() {
            return "exit " + exit + " from " + command + " with stdin:\n" + stdin + "stdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** Waits for READY; false when the JVM ended first (the exporter could not bind, say). */
    private static boolean awaitReady(ForkedJvm.Running app) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (app.toString().contains("\nREADY\t")) {
                return true;
            }
            if (!app.process.isAlive()) {
                return app.toString().contains("\nREADY\t");
            }
            Thread.sleep(20);
        }
        fail("no READY within 60 s\n" + app);
        return false;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Prometheus text exposition format (0.0.4), as the exporter writes it. */
    static final class Scrape {
        /** sample name → labels → value. */
        final Map<String, Map<Map<String, String>, Double>> samples = new LinkedHashMap<>();
        /** metric name in a TYPE line → type. */
        final Map<String, String> types = new LinkedHashMap<>();

        Scrape(String text) {
            for (String line : text.split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    String[] f = line.split(" ");
                    types.put(f[2], f[3]);
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    parseSample(line);
                }
            }
        }

        private void parseSample(String line) {
            int i = 0;
            while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
                i++;
            }
            String name = line.substring(0, i);
            Map<String, String> labels = new LinkedHashMap<>();
            if (i < line.length() && line.charAt(i) == '{') {
                i++;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String label = line.substring(i, eq);
                    i = eq + 2; // past ="
                    StringBuilder value = new StringBuilder();
                    for (char c; (c = line.charAt(i)) != '"'; i++) {
                        if (c == '\\') {
                            char next = line.charAt(++i);
                            value.append(next == 'n' ? '\n' : next);
                        } else {
                            value.append(c);
                        }
                    }
                    labels.put(label, value.toString());
                    i++; // past the closing quote
                    if (line.charAt(i) == ',') {
                        i++;
                    }
                }
                i++;
            }
            String[] rest = line.substring(i).trim().split(" ");
            samples.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(labels, Double.parseDouble(rest[0]));
        }

        Set<String> names() {
            return samples.keySet();
        }

        Optional<Double> value(String name, Map<String, String> labels) {
            return Optional.ofNullable(samples.getOrDefault(name, Map.of()).get(labels));
        }

        double require(String name, Map<String, String> labels, String context) {
            return value(name, labels).orElseThrow(() -> new AssertionError("no sample " + name + labels + " in "
                    + samples.getOrDefault(name, Map.of()).keySet() + context));
        }

        String labelStartingWith(String name, String label, String prefix, String context) {
            List<String> found = samples.getOrDefault(name, Map.of()).keySet().stream().map(l -> l.get(label))
                    .filter(v -> v != null && v.startsWith(prefix)).toList();
            assertEquals(1, found.size(), "one " + name + " with " + label + " starting with " + prefix + ": " + found
                    + context);
            assertFalse(found.get(0).isEmpty());
            return found.get(0);
        }
    }
}
