package io.ephemera.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A JVM in a container of its own, as {@code unshare --pid --fork --mount-proc --net} makes one:
 * its own PID namespace (it is pid 1 there), network namespace and {@code /proc}. From the host,
 * {@code list}, {@code attach} and {@code report} name it by its pid on the host, and {@code list}
 * shows it once, with its own command line; from inside its namespaces they name it pid 1.
 */
class ContainerLabIT {

    private static final String WORKLOAD = "io.ephemera.it.app.Workload";

    @Test
    void listAttachAndReportReachAJvmInItsOwnPidAndNetworkNamespace() throws Exception {
        NetworkNamespace.assumeAvailable();
        String marker = "container-lab-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        List<String> container = List.of("unshare", "--pid", "--fork", "--mount-proc", "--net", "sh", "-c",
                "ip link set lo up && sysctl -qw 'net.ipv4.ip_local_port_range=41000 41999' && exec \"$@\"", "sh");
        try (ForkedJvm.Running app = ForkedJvm.withoutAgent().under(container).start(WORKLOAD, "idle", marker)) {
            String inner = app.awaitLine("READY", 30).split("\t")[1].trim();
            assertEquals("1", inner, "the JVM is pid 1 in its namespace");
            String pid = Long.toString(hostPid(app));
            String command = WORKLOAD + " idle " + marker;
            String java = Runtime.version().toString().split("\\+")[0];
            String version = agentVersion();

            // list, from the host: once, under its pid here, with its own command line
            ForkedJvm.Result list = Cli.cli("list");
            assertEquals(0, list.exit, list.toString());
            assertEquals(List.of(pid, "root", java, "no", WORKLOAD, "idle", marker), cells(rowOf(list.out, marker)),
                    list.out);

            ForkedJvm.Result attach = Cli.cli("attach", pid);
            assertEquals(0, attach.exit, attach.toString());
            List<String> expected = new ArrayList<>();
            expected.add("ephemera: attached to JVM " + pid + " (" + command + "), Java " + java + ": ephemera " + version
                    + " follows its TCP connections from now on");
            if (Runtime.version().feature() >= 21) {
                expected.add("ephemera: note: on Java " + Runtime.version().feature() + " that JVM prints a warning "
                        + "about a dynamically loaded agent unless started with -XX:+EnableDynamicAgentLoading; the "
                        + "agent works either way");
            }
            expected.add("ephemera: connections opened before the attach are not counted; read the findings with: "
                    + "java -jar " + ForkedJvm.AGENT_JAR + " report " + pid);
            assertEquals(expected, attach.out.lines().toList(), attach.toString());

            // report, from the host: the namespace's own range, read by the agent inside it
            ForkedJvm.Result report = Cli.reportOnceCensusRan(List.of(), pid);
            assertEquals(0, report.exit, report.toString());
            // budget: the 1,000 ports of the range less the workload's listener, which bind(0) took from it;
            // time_wait: its 4 connections of before the attach (one end each, or both on a simultaneous close), until their 60 s are over
            assertTrue(report.out.strip().matches("report=ephemera connects=0 failures=0 address_not_available=0 "
                    + "accepts=0 closes=0 open=0 leaks=0 time_wait=[0-8] owned_time_wait=0 owned_close_wait=0 "
                    + "range=41000-41999 budget=999 tw_reuse=2 census=available findings=0"), report.toString());

            // doctor --pid, from the host: that process's network namespace, named, with its own sysctls
            String ns = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
            ForkedJvm.Result doctor = Cli.cli("doctor", "--pid", pid);
            assertEquals(0, doctor.exit, doctor.toString());
            List<String> lines = doctor.out.lines().toList();
            assertTrue(lines.get(0).matches("ephemera doctor: /proc/" + pid + ", network namespace \\Q" + ns
                    + "\\E of process " + pid + " \\(sysctls read with nsenter --net=/proc/" + pid
                    + "/ns/net\\), read in \\d+ ms"), doctor.out);
            assertTrue(lines.contains("  net.ipv4.ip_local_port_range      41000 41999  1,000 ports: a plain connect() gets "
                    + "this many per destination (remote address:port)"), doctor.out);

            ForkedJvm.Result again = Cli.cli("list");
            assertEquals(List.of(pid, "root", java, version, WORKLOAD, "idle", marker), cells(rowOf(again.out, marker)),
                    again.out);

            // from inside its namespaces, where it is pid 1
            List<String> inside = List.of("nsenter", "--target", pid, "--pid", "--mount", "--net");
            ForkedJvm.Result insideList = Cli.cliUnder(inside, "list");
            assertEquals(0, insideList.exit, insideList.toString());
            assertEquals(List.of("1", "root", java, version, WORKLOAD, "idle", marker),
                    cells(rowOf(insideList.out, marker)), insideList.out);
            ForkedJvm.Result insideReport = Cli.cliUnder(inside, "report", "1");
            assertEquals(0, insideReport.exit, insideReport.toString());
            assertEquals(report.out.replaceAll(" time_wait=\\d ", " "), insideReport.out.replaceAll(" time_wait=\\d ", " "));

            app.send("STOP");
            app.finish(60).assertOk();
        }
    }

    @Test
    void attachCopiesTheJarIntoAContainerThatHasItsOwnTmpAndNotTheJarAndReportReadsItBack() throws Exception {
        NetworkNamespace.assumeAvailable();
        String marker = "container-lab-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        // a /tmp of its own (its perf data and attach socket are not this command's), and no agent jar
        // (the test classes are bound to /mnt first: the build may itself live under /tmp)
        List<String> command = List.of("unshare", "--pid", "--fork", "--mount-proc", "--net", "sh", "-c",
                "mount --bind '" + ForkedJvm.TEST_CLASSES + "' /mnt && mount -t tmpfs tmpfs /tmp"
                        + " && { [ ! -e '" + ForkedJvm.AGENT_JAR + "' ] || mount --bind /dev/null '" + ForkedJvm.AGENT_JAR + "'; }"
                        + " && ip link set lo up && exec \"$@\"",
                "sh", ForkedJvm.JAVA, "-cp", "/mnt", WORKLOAD, "idle", marker);
        try (ForkedJvm.Running app = new ForkedJvm.Running(new ProcessBuilder(command).start(), command)) {
            app.awaitLine("READY", 30);
            long hostPid = hostPid(app);
            String pid = Long.toString(hostPid);
            ForkedJvm.Result list = Cli.cli("list");
            assertEquals(List.of(pid, "root", Runtime.version().toString().split("\\+")[0], "no", WORKLOAD, "idle", marker),
                    cells(rowOf(list.out, marker)), list.out);

            ForkedJvm.Result attach = Cli.cli("attach", pid);
            assertEquals(0, attach.exit, attach.toString());
            List<Path> copies;
            try (Stream<Path> files = Files.list(Path.of("/proc/" + pid + "/root/tmp"))) {
                copies = files.filter(f -> f.getFileName().toString().matches("ephemera-agent-[0-9a-f]{16}\\.jar"))
                        .collect(Collectors.toList());
            }
            assertEquals(1, copies.size(), "the jar, copied into the container's /tmp: " + copies);
            assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copies.get(0))));
            assertEquals(Files.size(ForkedJvm.AGENT_JAR), Files.size(copies.get(0)));

            ForkedJvm.Result report = Cli.reportOnceCensusRan(List.of(), pid);
            assertEquals(0, report.exit, report.toString());
            assertTrue(report.out.startsWith("report=ephemera connects=0 "), report.out);
            assertTrue(report.out.contains(" census=available "), report.out);

            // a second attach finds the agent there; the copy is used as it is
            assertEquals(3, Cli.cli("attach", pid).exit);
            app.send("STOP");
            app.finish(60).assertOk();
        }
    }

    /** The JVM's pid on the host: the java process under {@code unshare}. */
    private static long hostPid(ForkedJvm.Running app) {
        Optional<ProcessHandle> jvm = app.process.descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst();
        return jvm.orElseThrow(() -> new AssertionError("no java process under " + app.command)).pid();
    }

    /** The one row of {@code list} that names {@code marker}. */
    private static String rowOf(String table, String marker) {
        String found = null;
        for (String line : table.split("\n")) {
            if (line.contains(marker)) {
                if (found != null) {
                    fail("the JVM is listed twice:\n" + table);
                }
                found = line;
            }
        }
        assertTrue(found != null, "the JVM is not listed:\n" + table);
        return found;
    }

    private static List<String> cells(String row) {
        return List.of(row.trim().split("\\s+"));
    }

    private static String agentVersion() throws IOException {
        try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
            return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
    }
}
