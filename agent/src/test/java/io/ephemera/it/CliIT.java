package io.ephemera.it;

import io.ephemera.cli.MiniJson;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The command line, {@code java -jar ephemera-agent.jar ...}, run as a user runs it against real
 * JVMs: attach, report, list, and the doctor in a fresh network namespace with a known number of
 * sockets.
 */
class CliIT {

    private static final String WORKLOAD = "io.ephemera.it.app.Workload";
    private static final String MAKER = "io.ephemera.it.app.TimeWaitMaker";

    // ---- attach ----------------------------------------------------------------------------------

    @Test
    void attachLoadsTheAgentIntoARunningJvmAndItsConnectionsAreTracked() throws Exception {
        try (ForkedJvm.Running app = ForkedJvm.withoutAgent().start(WORKLOAD, "attachTarget")) {
            String pid = pid(app.awaitLine("READY", 30));
            ForkedJvm.Result r = Cli.cli("attach", pid, "jmx.rows=50");
            assertEquals(0, r.exit, r.toString());
            assertEquals("", r.err, r.toString());
            assertTrue(r.out.contains("attached to JVM " + pid), r.out);
            assertTrue(r.out.contains("report " + pid), "says how to read the findings: " + r.out);
            assertEquals(Runtime.version().feature() >= 21, r.out.contains("-XX:+EnableDynamicAgentLoading"),
                    "the JDK 21+ warning is mentioned exactly where it applies: " + r.out);
            app.send("GO");
            ForkedJvm.Result target = app.finish(60);
            Audit a = target.audit();
            assertEquals(3, a.count("ConnectCount"), "the connections after the attach");
            assertEquals(3, a.siteCount("io.ephemera.it.app.Workload.afterAttach(", "connects"));
            assertTrue(target.err.contains("ephemera: attached"), target.err);
        }
    }

    @Test
    void attachingTwiceExitsWith3AndReportsTheOptionsInsteadOfApplyingThem() throws Exception {
        try (ForkedJvm.Running app = ForkedJvm.withoutAgent().start(WORKLOAD, "attachTarget")) {
            String pid = pid(app.awaitLine("READY", 30));
            assertEquals(0, Cli.cli("attach", pid).exit);
            ForkedJvm.Result second = Cli.cli("attach", pid, "stack.depth=4");
            assertEquals(3, second.exit, second.toString());
            assertOneLine(second.err);
            assertTrue(second.err.contains("already loaded in JVM " + pid), second.err);
            assertTrue(second.err.contains("stack.depth=4") && second.err.contains("not applied"), second.err);
            assertEquals("", second.out);
            app.send("GO");
            ForkedJvm.Result target = app.finish(60);
            assertEquals(3, target.audit().count("ConnectCount"), "no double counting");
            assertEquals(1, occurrences(target.err, "ephemera: attached"), "instrumented once: " + target.err);
            assertFalse(target.err.contains("already loaded in this JVM"), "the second load never reached the JVM");
        }
    }

    @Test
    void attachingToAProcessThatDoesNotExistExitsWith1() {
        long pid = 4_000_000;
        while (Files.exists(Path.of("/proc/" + pid))) {
            pid++;
        }
        ForkedJvm.Result r = Cli.cli("attach", Long.toString(pid));
        assertEquals(1, r.exit, r.toString());
        assertOneLine(r.err);
        assertTrue(r.err.contains("no process " + pid), r.err);
    }

    @Test
    void attachingAsAnotherUserSaysWhoseJvmItIsAndToRunAsThatUser() throws Exception {
        assumeTrue(uid(Path.of("/proc/self")) == 0, "skipped: needs root, to start a JVM as root and run the "
                + "command as nobody");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "skipped: needs setpriv (util-linux)");
        Path dir = Files.createTempDirectory("ephemera-cli");
        try (ForkedJvm.Running app = ForkedJvm.withoutAgent().start(WORKLOAD, "idle")) {
            String pid = pid(app.awaitLine("READY", 30));
            // a copy nobody can read: the build directory may not be
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path jar = Files.copy(ForkedJvm.AGENT_JAR, dir.resolve("ephemera-agent.jar"));
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            ForkedJvm.Result r = Cli.run(dir, 60, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    ForkedJvm.JAVA, "-jar", jar.toString(), "attach", pid);
            assertEquals(1, r.exit, r.toString());
            assertOneLine(r.err);
            assertTrue(r.err.contains("belongs to user root (uid 0)"), r.err);
            assertTrue(r.err.contains("run this command as root"), r.err);
            app.send("STOP");
            assertFalse(app.finish(60).err.contains("ephemera"), "nothing reached the JVM");
        } finally {
            Files.deleteIfExists(dir.resolve("ephemera-agent.jar"));
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void aJvmThatRefusesAttachIsNamedAsSuchAtOnce() throws Exception {
        try (ForkedJvm.Running app = ForkedJvm.withoutAgent().jvmArg("-XX:+DisableAttachMechanism")
                .start(WORKLOAD, "idle")) {
            String pid = pid(app.awaitLine("READY", 30));
            for (String command : List.of("attach", "report")) {
                long start = System.nanoTime();
                ForkedJvm.Result r = Cli.cli(command, pid);
                assertEquals(1, r.exit, r.toString());
                assertOneLine(r.err);
                assertTrue(r.err.contains("runs with -XX:+DisableAttachMechanism"), r.err);
                assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 8,
                        "said before the attach API's 10 s timeout");
            }
            app.send("STOP");
            app.finish(60).assertOk();
        }
    }

    @Test
    void aProcessThatIsNotAJvmIsLeftAlone() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            ForkedJvm.Result r = Cli.cli("attach", Long.toString(sleep.pid()));
            assertEquals(1, r.exit, r.toString());
            assertOneLine(r.err);
            assertTrue(r.err.contains("is not a Java virtual machine"), r.err);
            Thread.sleep(500);
            assertTrue(sleep.isAlive(), "no SIGQUIT was sent: the process still runs");
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void badUsageExitsWith2WithOneLine() {
        for (List<String> args : List.of(List.<String>of(), List.of("frobnicate"), List.of("attach"), List.of("attach", "x1"),
                List.of("attach", "1", "no.such.option=3"), List.of("report", "1", "--xml"), List.of("doctor", "--top", "0"),
                List.of("list", "extra"))) {
            ForkedJvm.Result r = Cli.cli(args.toArray(new String[0]));
            assertEquals(2, r.exit, args + ": " + r);
            assertOneLine(r.err);
            assertTrue(r.err.startsWith("ephemera: "), r.err);
        }
        ForkedJvm.Result help = Cli.cli("--help");
        assertEquals(0, help.exit);
        for (String command : List.of("attach", "report", "doctor", "list")) {
            assertTrue(help.out.contains("  " + command + " "), help.out);
            ForkedJvm.Result h = Cli.cli(command, "--help");
            assertEquals(0, h.exit, h.toString());
            assertTrue(h.out.startsWith("usage: java -jar ephemera-agent.jar " + command), h.out);
        }
    }

    // ---- report ----------------------------------------------------------------------------------

    @Test
    void reportPrintsTheFindingsOfAnotherJvmAsTextAndAsJson() throws Exception {
        try (ForkedJvm.Running app = ForkedJvm.withAgent().start(WORKLOAD, "idle")) {
            String pid = pid(app.awaitLine("READY", 30));
            ForkedJvm.Result text = Cli.cli("report", pid);
            assertEquals(0, text.exit, text.toString());
            String header = text.out.split("\n")[0];
            assertTrue(header.startsWith("report=ephemera "), text.out);
            assertTrue(header.contains(" connects=") && header.contains(" findings="), header);

            ForkedJvm.Result json = Cli.cli("report", pid, "--json");
            assertEquals(0, json.exit, json.toString());
            Map<String, Object> report = MiniJson.object(json.out);
            assertTrue(report.get("header") instanceof Map, json.out);
            assertTrue(report.get("findings") instanceof List, json.out);
            Map<?, ?> h = (Map<?, ?>) report.get("header");
            assertEquals("ephemera", h.get("report"));
            assertTrue(((BigDecimal) h.get("connects")).longValue() >= 4, json.out);
            app.send("STOP");
            app.finish(60).assertOk();
        }
    }

    @Test
    void reportOnAJvmWithoutTheAgentSaysSoAndSuggestsAttach() throws Exception {
        try (ForkedJvm.Running app = ForkedJvm.withoutAgent().start(WORKLOAD, "idle")) {
            String pid = pid(app.awaitLine("READY", 30));
            ForkedJvm.Result r = Cli.cli("report", pid);
            assertEquals(1, r.exit, r.toString());
            assertOneLine(r.err);
            assertTrue(r.err.contains("ephemera is not loaded in JVM " + pid), r.err);
            assertTrue(r.err.contains("attach " + pid), r.err);
            app.send("STOP");
            app.finish(60).assertOk();
        }
    }

    @Test
    void reportReachesAJvmInAnotherNetworkNamespaceFromOutsideAndFromInside() throws Exception {
        NetworkNamespace.assumeAvailable();
        try (ForkedJvm.Running app = ForkedJvm.withAgent("census.interval=200ms")
                .under(NetworkNamespace.with("net.ipv4.ip_local_port_range=41000 41999")).start(WORKLOAD, "idle")) {
            String pid = pid(app.awaitLine("READY", 30));
            // the report is the namespace's: its range, read by the agent inside it
            ForkedJvm.Result outside = Cli.reportOnceCensusRan(List.of(), pid);
            assertEquals(0, outside.exit, outside.toString());
            assertTrue(outside.out.startsWith("report=ephemera "), outside.out);
            assertTrue(outside.out.contains(" range=41000-41999 "), outside.out);

            ForkedJvm.Result inside = Cli.cliUnder(List.of("nsenter", "--net=/proc/" + pid + "/ns/net"), "report", pid);
            assertEquals(0, inside.exit, inside.toString());
            assertTrue(inside.out.contains(" range=41000-41999 "), inside.out);
            app.send("STOP");
            app.finish(60).assertOk();
        }
    }

    // ---- list ------------------------------------------------------------------------------------

    @Test
    void listShowsEveryJvmAndWhetherEphemeraIsLoaded() throws Exception {
        try (ForkedJvm.Running with = ForkedJvm.withAgent().start(WORKLOAD, "idle");
             ForkedJvm.Running without = ForkedJvm.withoutAgent().start(WORKLOAD, "idle");
             ForkedJvm.Running refusing = ForkedJvm.withoutAgent().jvmArg("-XX:+DisableAttachMechanism")
                     .start(WORKLOAD, "idle")) {
            String withPid = pid(with.awaitLine("READY", 30));
            String withoutPid = pid(without.awaitLine("READY", 30));
            String refusingPid = pid(refusing.awaitLine("READY", 30));
            ForkedJvm.Result r = Cli.cli("list");
            assertEquals(0, r.exit, r.toString());
            assertTrue(r.out.startsWith("PID "), r.out);
            assertEquals(agentVersion(), column(r.out, withPid, 3));
            assertEquals("no", column(r.out, withoutPid, 3));
            assertEquals(Runtime.version().toString().split("\\+")[0], column(r.out, withoutPid, 2).split("\\+")[0]);
            assertEquals("?", column(r.out, refusingPid, 3));
            assertTrue(row(r.out, refusingPid).contains("DisableAttachMechanism"), r.out);
            assertTrue(row(r.out, withPid).contains(WORKLOAD + " idle"), r.out);
            for (ForkedJvm.Running app : List.of(with, without, refusing)) {
                app.send("STOP");
                app.finish(60).assertOk();
            }
        }
    }

    // ---- doctor ----------------------------------------------------------------------------------

    @Test
    void doctorCountsTheSocketsOfAFreshNetworkNamespace() {
        NetworkNamespace.assumeAvailable();
        String script = "f=$(mktemp); " + java(MAKER) + " 50 3 1 60 > \"$f\" 2>&1 & "
                + "i=0; while ! grep -q READY \"$f\" && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; cat \"$f\"; "
                + "echo '=== json'; " + cliCommand() + " doctor --json; echo \"=== exit $?\"; "
                + "echo '=== text'; " + cliCommand() + " doctor; echo \"=== exit $?\"; "
                + "kill $! 2>/dev/null; rm -f \"$f\"";
        ForkedJvm.Result r = inNamespace(script, 120, "net.ipv4.tcp_tw_reuse=0");
        String[] ready = line(r.out, "READY").split("\t");
        long maker = Long.parseLong(ready[1]);
        int port = Integer.parseInt(ready[2]);
        String json = between(r.out, "=== json\n", "=== exit ");
        assertTrue(r.out.contains("=== exit 0\n=== text"), r.toString());
        Map<String, Object> d = MiniJson.object(json);

        Map<?, ?> sockets = (Map<?, ?>) d.get("sockets");
        // the kernel now and then keeps one TIME_WAIT fewer than there were client-first closes: what
        // the doctor reads must agree with the kernel's own counter, whatever it is
        long tw = number(sockets, "sockstatTimeWait");
        assertTrue(tw == 50 || tw == 49, "50 closed first, the kernel keeps 49 or 50: " + json);
        assertEquals(tw, number(sockets, "timeWait"), json);
        assertEquals(6, number(sockets, "established"), "3 held connections, both ends");
        assertEquals(1, number(sockets, "listen"));

        Map<?, ?> budget = (Map<?, ?>) d.get("budget");
        long range = number(budget, "rangePorts");
        assertEquals(1, number(budget, "listeningPortsInRange"), "the maker's listener took a port of the range");
        assertEquals(range - 1, number(budget, "perDestination"));

        List<?> destinations = (List<?>) d.get("destinations");
        assertEquals(1, destinations.size(), json);
        Map<?, ?> dest = (Map<?, ?>) destinations.get(0);
        assertEquals("127.0.0.1:" + port, dest.get("destination"));
        assertEquals(tw + 3, number(dest, "inUse"));
        assertEquals(tw, number(dest, "timeWait"));
        assertEquals(3, number(dest, "established"));
        Map<?, ?> freeing = (Map<?, ?>) dest.get("timeWaitFreeing");
        assertEquals(0, number(freeing, "10s"), "made seconds ago: 50 s or more left");
        assertEquals(tw, number(freeing, "60s"));
        List<?> owners = (List<?>) dest.get("owners");
        assertEquals(1, owners.size(), json);
        Map<?, ?> owner = (Map<?, ?>) owners.get(0);
        assertEquals(maker, number(owner, "pid"));
        assertEquals(3, number(owner, "sockets"));
        assertTrue(String.valueOf(owner.get("commandLine")).startsWith(MAKER), json);

        Map<String, Map<?, ?>> whatIf = new HashMap<>();
        for (Object o : (List<?>) dest.get("whatIf")) {
            whatIf.put((String) ((Map<?, ?>) o).get("scenario"), (Map<?, ?>) o);
        }
        assertEquals(range - 1 - (tw + 3), number(whatIf.get("now"), "headroom"), "tcp_tw_reuse=0: every TIME_WAIT blocks");
        assertEquals(new BigDecimal("60.000"), whatIf.get("now").get("holdSeconds"));
        assertEquals(65535 - 1024 + 1 - 1, number(whatIf.get("range 1024 65535"), "budget"));
        assertEquals(new BigDecimal("1.000"), whatIf.get("tcp_tw_reuse=1").get("holdSeconds"));
        assertTrue(number(whatIf.get("both"), "headroom") >= number(whatIf.get("range 1024 65535"), "headroom"));
        assertTrue(d.get("recommendations").toString().contains("tcp_tw_reuse=0"), json);

        String text = between(r.out, "=== text\n", "=== exit ");
        assertTrue(text.contains("TIME_WAIT " + tw + ", ESTABLISHED 6"), text);
        assertTrue(text.contains("127.0.0.1:" + port + "  in use " + (tw + 3)), text);
        assertTrue(text.contains("pid " + maker + " " + MAKER), text);
        assertTrue(text.contains("0 within 10 s") && text.contains(tw + " within 60 s"), text);
    }

    @Test
    void doctorReadsThirtyThousandSocketsInAboutASecond() {
        NetworkNamespace.assumeAvailable();
        String script = java(MAKER) + " 30000 0 10 0 > /dev/null && s=$(date +%s%N) && "
                + cliCommand() + " doctor --json && echo \"=== millis $(( ($(date +%s%N) - s) / 1000000 ))\"";
        ForkedJvm.Result r = inNamespace(script, 300, "net.ipv4.tcp_tw_reuse=0");
        assertEquals(0, r.exit, r.toString());
        Map<String, Object> d = MiniJson.object(r.out.substring(0, r.out.indexOf("=== millis")));
        Map<?, ?> sockets = (Map<?, ?>) d.get("sockets");
        long timeWait = number(sockets, "timeWait");
        assertEquals(number(sockets, "sockstatTimeWait"), timeWait, "the kernel's own count agrees");
        assertTrue(timeWait >= 29_500, "30,000 made (loopback may lose a few): " + timeWait);
        long shown = 0;
        for (Object o : (List<?>) d.get("destinations")) {
            shown += number((Map<?, ?>) o, "timeWait");
        }
        assertEquals(timeWait, shown, "every TIME_WAIT socket is toward one of the 10 listeners");
        long wall = Long.parseLong(line(r.out, "=== millis").split(" ")[2]);
        double scan = ((BigDecimal) d.get("scanMillis")).doubleValue();
        System.out.println("doctor on " + timeWait + " sockets: " + scan + " ms reading, " + wall + " ms in all");
        // linear: a quadratic join would take minutes here; the bound leaves room for a loaded machine
        assertTrue(scan < 3_000, "read in " + scan + " ms");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static String cliCommand() {
        return ForkedJvm.JAVA + " -jar " + ForkedJvm.AGENT_JAR;
    }

    private static String java(String mainClass) {
        return ForkedJvm.JAVA + " -cp " + ForkedJvm.TEST_CLASSES + " " + mainClass;
    }

    private static ForkedJvm.Result inNamespace(String script, int seconds, String... sysctls) {
        List<String> cmd = new ArrayList<>(NetworkNamespace.with(sysctls));
        cmd.addAll(List.of("sh", "-c", script));
        return Cli.run(null, seconds, cmd.toArray(new String[0]));
    }

    private static String pid(String readyLine) {
        return readyLine.split("\t")[1].trim();
    }

    private static void assertOneLine(String err) {
        assertTrue(err.endsWith("\n") && err.indexOf('\n') == err.length() - 1, "one line on stderr: '" + err + "'");
    }

    private static int occurrences(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static long uid(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:uid")).longValue();
    }

    private static String agentVersion() throws IOException {
        try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
            return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
    }

    /** The row of {@code list} for {@code pid}. */
    private static String row(String table, String pid) {
        for (String line : table.split("\n")) {
            if (line.startsWith(pid + " ")) {
                return line;
            }
        }
        fail("no row for " + pid + " in\n" + table);
        return null;
    }

    private static String column(String table, String pid, int index) {
        return row(table, pid).split("\\s+")[index];
    }

    private static String line(String text, String prefix) {
        for (String l : text.split("\n")) {
            if (l.startsWith(prefix)) {
                return l;
            }
        }
        fail("no line starting with " + prefix + " in\n" + text);
        return null;
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "no '" + start + "' in\n" + text);
        from += start.length();
        int to = text.indexOf(end, from);
        assertTrue(to >= 0, "no '" + end + "' in\n" + text);
        return text.substring(from, to);
    }

    private static long number(Map<?, ?> object, String name) {
        Object v = object.get(name);
        assertNotNull(v, "no " + name + " in " + object);
        return ((BigDecimal) v).longValueExact();
    }
}
