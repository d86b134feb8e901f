package io.ephemera.scenarios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sample backend with the agent behind a real HAProxy (Debian's package), in both ways a proxy
 * talks to a backend, with the same bounded load: what the agent says of the proxy's connections
 * must match HAProxy's own count and the kernel's. Runs the demo as a user does, in a fresh
 * network namespace where permitted, so the kernel's counts are the scenario's alone.
 *
 * <p>Skipped, with the reason, where HAProxy is not installed or a namespace cannot be made;
 * {@code EPHEMERA_REQUIRE_HAPROXY=1} and {@code EPHEMERA_REQUIRE_NETNS=1} (CI) turn a skip into a failure.
 */
class HaproxyScenarioIT {

    private static final Path AGENT = Path.of(System.getProperty("ephemera.agent.jar", "../agent/target/ephemera-agent.jar"));
    private static final Path SAMPLE = Path.of(System.getProperty("ephemera.sample.jar",
            "../sample-app/target/ephemera-sample-app.jar"));
    /** Per endpoint: with /pooled, /churn, /health and 20 on /leak, 2,120 requests in all. */
    private static final int REQUESTS = 700;
    private static final Pattern PEER = Pattern.compile(
            "^\\s+127\\.0\\.0\\.2 -> :(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+[\\d.]+\\s+(\\d+)\\s+(true|false)$");
    private static final Pattern HAPROXY_COUNT = Pattern.compile("^HAProxy's own count: (\\d+) connections to the backend");
    private static final Pattern KERNEL_COUNT = Pattern.compile("^The kernel's own count: (\\d+) TIME_WAIT sockets");

    @Test
    void serverCloseOpensAConnectionPerRequestAndTheAgentCountsEachOneAsTheKernelDoes(@TempDir Path dir) throws Exception {
        String out = demo("server-close", dir);
        Peer proxy = proxyPeer(out);
        long haproxy = number(out, HAPROXY_COUNT);
        assertTrue(haproxy >= 2000, "one backend connection per request (2,120 requests)\n" + out);
        assertEquals(haproxy, proxy.accepts, "the agent's accepts from the proxy are the connections HAProxy made\n" + out);
        assertEquals(proxy.accepts, proxy.closedHere + proxy.closedByPeer + proxy.resetByPeer + proxy.open, out);
        long kernel = number(out, KERNEL_COUNT);
        assertTrue(kernel > 0, "the backend closes first and keeps TIME_WAIT on its port\n" + out);
        assertTrue(Math.abs(proxy.ownedTimeWait - kernel) <= Math.max(1, kernel * 0.05),
                "ownedTimeWait " + proxy.ownedTimeWait + " within 5% of the kernel's " + kernel + "\n" + out);
        assertTrue(proxy.churning, out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("finding=peer-churn peer=127.0.0.2 port=" + proxy.port + " ")
                && l.contains("enable keep-alive toward the backend (HAProxy: http-reuse always, no option http-server-close)")),
                out);
        assertBackendFindings(out, dir);
    }

    @Test
    void keepAliveWithReuseCarriesEveryRequestOnAHandfulOfConnections(@TempDir Path dir) throws Exception {
        String out = demo("keep-alive", dir);
        Peer proxy = proxyPeer(out);
        long haproxy = number(out, HAPROXY_COUNT);
        assertEquals(haproxy, proxy.accepts, out);
        assertTrue(proxy.accepts <= 10, "a handful of backend connections for 2,120 requests\n" + out);
        assertTrue(!proxy.churning, out);
        assertTrue(out.lines().noneMatch(l -> l.startsWith("finding=peer-churn peer=127.0.0.2 ")), out);
        assertBackendFindings(out, dir);
    }

    /** Through the proxy too: /churn is churn at the sample's call site, /pooled is not, /leak leaks. */
    private static void assertBackendFindings(String out, Path dir) throws IOException {
        assertTrue(out.lines().anyMatch(l -> l.startsWith("finding=churn site=io.ephemera.sample.ChurningPriceClient.price(")), out);
        assertTrue(out.lines().noneMatch(l -> l.startsWith("finding=churn site=io.ephemera.sample.PooledPriceClient")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("finding=leak site=io.ephemera.sample.LeakyStockClient.ping(")
                && l.contains(" leaked=20 ")), out);
        String logged = Files.readString(dir.resolve("sample-app.log"));
        assertTrue(logged.contains(" io.ephemera.report - finding=peer-churn ") || !out.contains("finding=peer-churn"),
                "the findings reach the application's own log\n" + logged);
    }

    private static String demo(String mode, Path dir) throws Exception {
        assumeHaproxy();
        assertTrue(Files.isRegularFile(AGENT), AGENT.toString());
        assertTrue(Files.isRegularFile(SAMPLE), SAMPLE.toString());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(namespace());
        cmd.addAll(List.of(java, "-Dsample.log=" + dir.resolve("sample-app.log"),
                "-javaagent:" + AGENT.toAbsolutePath() + "=census.interval=1s,report.interval=0",
                "-jar", SAMPLE.toAbsolutePath().toString(), "demo", "--haproxy", mode, "--requests", Integer.toString(REQUESTS)));
        Path output = dir.resolve("demo.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) { // a hang fails here, a slow machine does not
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            fail("the demo did not finish in 180 s\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        if (!out.contains(" in front on 127.0.0.1:")) {
            String said = out.lines().filter(l -> l.startsWith("HAProxy ")).findFirst().orElse("HAProxy was not in front");
            skipOrFail(said);
        }
        return out;
    }

    /** A fresh network namespace for the demo and its HAProxy, or nothing (with the reason) where none can be made. */
    private static List<String> namespace() throws Exception {
        List<String> wrapper = List.of("unshare", "-n", "sh", "-c", "ip link set lo up && exec \"$@\"", "sh");
        String reason = null;
        try {
            List<String> probeCmd = new ArrayList<>(wrapper);
            probeCmd.add("true");
            Process probe = new ProcessBuilder(probeCmd).redirectErrorStream(true).start();
            String said = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!probe.waitFor(10, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                reason = "unshare -n failed: " + said;
            }
        } catch (IOException e) {
            reason = "unshare or ip is missing: " + e.getMessage();
        }
        if (reason == null) {
            return wrapper;
        }
        if ("1".equals(System.getenv("EPHEMERA_REQUIRE_NETNS"))) {
            fail("EPHEMERA_REQUIRE_NETNS=1 but no network namespace: " + reason);
        }
        System.err.println("HaproxyScenarioIT: running in this network namespace (" + reason + ")");
        return List.of();
    }

    private static void assumeHaproxy() {
        if (!Files.isExecutable(Path.of("/usr/sbin/haproxy"))) {
            skipOrFail("HAProxy is not installed (apt-get install haproxy)");
        }
    }

    /** Skips with the reason, or fails where CI says HAProxy must run. */
    private static void skipOrFail(String reason) {
        if ("1".equals(System.getenv("EPHEMERA_REQUIRE_HAPROXY"))) {
            fail("EPHEMERA_REQUIRE_HAPROXY=1 but " + reason);
        }
        assumeTrue(false, reason);
    }

    private record Peer(int port, long accepts, long open, long closedHere, long closedByPeer, long resetByPeer,
                        long ownedTimeWait, boolean churning) {
    }

    /** The demo's row for the proxy's address, 127.0.0.2, on the backend's port. */
    private static Peer proxyPeer(String out) {
        for (String line : out.split("\n")) {
            Matcher m = PEER.matcher(line);
            if (m.matches()) {
                return new Peer(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                        Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)),
                        Long.parseLong(m.group(7)), Boolean.parseBoolean(m.group(8)));
            }
        }
        throw new AssertionError("no row for the proxy's address 127.0.0.2 in the demo's peers\n" + out);
    }

    private static long number(String out, Pattern p) {
        for (String line : out.split("\n")) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no line matching " + p + "\n" + out);
    }
}
