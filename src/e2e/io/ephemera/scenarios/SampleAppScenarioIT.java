package io.ephemera.scenarios;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The demo as a user runs it: the built sample backend with the built agent, a bounded load on
 * each endpoint, and the agent's view as the demo prints it.
 */
class SampleAppScenarioIT {

    private static final Path AGENT = Path.of(System.getProperty("ephemera.agent.jar", "../agent/target/ephemera-agent.jar"));
    private static final Path SAMPLE = Path.of(System.getProperty("ephemera.sample.jar",
            "../sample-app/target/ephemera-sample-app.jar"));
    private static final Pattern ROW = Pattern.compile(
            "^\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+[\\d.]+\\s+[\\d.]+\\s+(\\S+) -> (.*)$");

    @Test
    void theDemoFindsTheChurnTheLeakAndLeavesThePoolAlone(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(AGENT), AGENT.toString());
        assertTrue(Files.isRegularFile(SAMPLE), SAMPLE.toString());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("sample-app.log");
        Path output = dir.resolve("demo.out");
        Process p = new ProcessBuilder(java, "-Dsample.log=" + log, "-javaagent:" + AGENT.toAbsolutePath(), "-jar",
                SAMPLE.toAbsolutePath().toString(), "demo", "--requests", "200", "--haproxy", "none")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        String out = finish(p, output);
        assertEquals(0, p.exitValue(), out);

        Map<String, long[]> sites = new HashMap<>();
        for (String line : out.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                String method = m.group(5).substring(0, m.group(5).indexOf('('));
                sites.put(method, new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)), Long.parseLong(m.group(4))});
            }
        }
        long[] churn = sites.get("io.ephemera.sample.ChurningPriceClient.price");
        long[] pooled = sites.get("io.ephemera.sample.PooledPriceClient.price");
        long[] leak = sites.get("io.ephemera.sample.LeakyStockClient.ping");
        assertNotNull(churn, out);
        assertNotNull(pooled, out);
        assertNotNull(leak, out);
        assertEquals(200, churn[0], "one connection per /churn request\n" + out);
        assertTrue(pooled[0] <= 8, "a handful of connections for 200 /pooled requests\n" + out);
        assertEquals(20, leak[0], out);
        assertEquals(20, leak[3], "every dropped socket found leaked\n" + out);
        assertTrue(out.contains("ephemera: started"), out);

        // the agent's report went through the application's own SLF4J into its logback file
        String logged = Files.readString(log);
        assertTrue(logged.lines().anyMatch(l -> l.contains(" io.ephemera.report - report=ephemera ")), logged);
        assertTrue(logged.lines().anyMatch(l -> l.contains(" WARN ") && l.contains(
                " io.ephemera.report - finding=churn site=io.ephemera.sample.ChurningPriceClient.price(")), logged);
        assertTrue(logged.lines().anyMatch(l -> l.contains(
                " io.ephemera.report - finding=leak site=io.ephemera.sample.LeakyStockClient.ping(") && l.contains("leaked=20")),
                logged);
        assertTrue(logged.contains("    at io.ephemera.sample.ChurningPriceClient.price("), logged);
        assertTrue(logged.lines().noneMatch(l -> l.contains("finding=churn site=io.ephemera.sample.PooledPriceClient")), logged);
        assertTrue(!out.contains("finding=churn") || out.contains("Findings ("), "findings printed by the demo, not on stderr");
    }

    /** Waits for the demo to end, 180 s at most (a hang fails, a slow machine does not), and returns what it printed. */
    private static String finish(Process p, Path output) throws IOException, InterruptedException {
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            fail("the demo did not finish in 180 s\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
        return Files.readString(output, StandardCharsets.UTF_8);
    }
}
