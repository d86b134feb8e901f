package io.ephemera.it;

import io.ephemera.cli.MiniJson;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a team copies for its fleet, under {@code deploy/}: the Prometheus rules, unit-tested with
 * {@code promtool test rules} (every alert firing and not firing), and the Grafana dashboard, whose
 * every query parses. The metric names both use are the ones docs/metrics.md lists, which
 * {@link MetricsClientsIT} checks against a real scrape of the exporter.
 */
class DeployIT {

    private static final Path TOP = Path.of(System.getProperty("ephemera.docs", "../docs")).toAbsolutePath()
            .normalize().getParent();
    private static final Path RULES = TOP.resolve("deploy/prometheus/ephemera-rules.yml");
    private static final Path RULE_TESTS = TOP.resolve("deploy/prometheus/ephemera-rules.test.yml");
    private static final Path DASHBOARD = TOP.resolve("deploy/grafana/ephemera-fleet.json");
    private static final Path METRICS_DOC = TOP.resolve("docs/metrics.md");
    private static final Pattern METRIC = Pattern.compile("(?<![\\w:])(ephemera_[a-z0-9_]+)(?![\\w:])");

    /** promtool, from Debian's prometheus package; CI installs it and sets EPHEMERA_REQUIRE_PROMTOOL=1. */
    private static void assumePromtool() {
        ForkedJvm.Result r;
        try {
            r = Cli.run(null, 60, "promtool", "--version");
        } catch (RuntimeException e) {
            r = null;
        }
        if (r != null && r.exit == 0) {
            return;
        }
        String reason = "promtool is not installed (apt-get install prometheus)";
        if ("1".equals(System.getenv("EPHEMERA_REQUIRE_PROMTOOL"))) {
            fail(reason + ", and EPHEMERA_REQUIRE_PROMTOOL=1");
        }
        assumeTrue(false, "skipped: " + reason);
    }

    @Test
    void theRulesAreValidAndEveryAlertIsTestedFiringAndNotFiring() throws IOException {
        assumePromtool();
        ForkedJvm.Result check = Cli.run(null, 60, "promtool", "check", "rules", RULES.toString());
        assertEquals(0, check.exit, check.toString());
        ForkedJvm.Result tests = Cli.run(RULE_TESTS.getParent(), 120, "promtool", "test", "rules",
                RULE_TESTS.getFileName().toString());
        assertEquals(0, tests.exit, tests.toString());
        assertTrue(tests.out.contains("SUCCESS"), tests.out);

        Set<String> alerts = matches(Files.readString(RULES), "(?m)^\\s*- alert: (\\w+)$");
        Map<String, Set<String>> outcomes = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(RULE_TESTS);
        for (int i = 0; i + 1 < lines.size(); i++) {
            Matcher m = Pattern.compile("^\\s*alertname: (\\w+)$").matcher(lines.get(i));
            if (m.matches()) {
                outcomes.computeIfAbsent(m.group(1), k -> new TreeSet<>())
                        .add(lines.get(i + 1).trim().equals("exp_alerts: []") ? "not firing" : "firing");
            }
        }
        for (String alert : alerts) {
            assertEquals(Set.of("firing", "not firing"), outcomes.getOrDefault(alert, Set.of()),
                    alert + " is tested firing and not firing in " + RULE_TESTS.getFileName());
        }
        assertEquals(alerts, outcomes.keySet(), "tests name only alerts that exist");
    }

    @Test
    void everyDashboardQueryParses() throws IOException {
        assumePromtool();
        List<String> queries = dashboardQueries();
        assertTrue(queries.size() >= 10, queries.toString());
        // promtool parses PromQL where rules hold it: each query as a recording rule
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            String q = queries.get(i).replace("$job", ".*").replace("$instance", ".*");
            rules.append("      - record: dashboard:query").append(i).append("\n        expr: '")
                    .append(q.replace("'", "''")).append("'\n");
        }
        Path file = Files.createTempFile("dashboard-queries", ".yml");
        try {
            Files.writeString(file, rules);
            ForkedJvm.Result check = Cli.run(null, 60, "promtool", "check", "rules", file.toString());
            assertEquals(0, check.exit, check + "\n" + rules);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void theRulesAndTheDashboardUseOnlyMetricsTheExporterProduces() throws IOException {
        // docs/metrics.md lists the exporter's metrics, and MetricsClientsIT fails on any it names
        // that a real scrape lacks: so a name here that the page lacks is a name no scrape has
        Set<String> documented = matches(Files.readString(METRICS_DOC), METRIC.pattern());
        Set<String> used = new TreeSet<>(matches(Files.readString(RULES), METRIC.pattern()));
        for (String q : dashboardQueries()) {
            used.addAll(matches(q, METRIC.pattern()));
        }
        assertFalse(used.isEmpty());
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(documented);
        assertEquals(Set.of(), unknown, "metric names no scrape has (docs/metrics.md lists the exporter's)");
    }

    /** Every PromQL expression of the dashboard: its panels' targets and its variables' queries. */
    private static List<String> dashboardQueries() throws IOException {
        Map<String, Object> dashboard = MiniJson.object(Files.readString(DASHBOARD));
        List<String> out = new ArrayList<>();
        for (Object p : (List<?>) dashboard.get("panels")) {
            for (Object t : (List<?>) ((Map<?, ?>) p).get("targets")) {
                out.add((String) ((Map<?, ?>) t).get("expr"));
            }
        }
        for (Object v : (List<?>) ((Map<?, ?>) dashboard.get("templating")).get("list")) {
            Object query = ((Map<?, ?>) v).get("query");
            if (query instanceof Map) {
                String q = (String) ((Map<?, ?>) query).get("query");
                Matcher m = Pattern.compile("label_values\\((.+), \\w+\\)").matcher(q);
                assertTrue(m.matches(), q);
                out.add(m.group(1));
            }
        }
        return out;
    }

    private static Set<String> matches(String text, String regex) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
