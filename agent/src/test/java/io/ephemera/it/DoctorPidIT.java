package io.ephemera.it;

import io.ephemera.cli.MiniJson;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code doctor --pid P} run from outside P's network namespace: the tables are P's, the sysctls
 * are P's (read inside it with nsenter), and the first line names P's namespace. The namespace's
 * sysctls are set to values no host has by default, so the host's can never pass for them.
 */
class DoctorPidIT {

    private static final boolean DELAY_SYSCTL = Files.exists(Path.of("/proc/sys/net/ipv4/tcp_tw_reuse_delay"));

    @Test
    void doctorPidReadsTheNamespaceOfTheProcessFromOutsideIt() throws Exception {
        NetworkNamespace.assumeAvailable();
        List<String> sysctls = new ArrayList<>(List.of("net.ipv4.ip_local_port_range=40000 40299",
                "net.ipv4.ip_local_reserved_ports=40100", "net.ipv4.tcp_tw_reuse=0", "net.ipv4.tcp_timestamps=1",
                "net.ipv4.tcp_max_tw_buckets=5000", "net.ipv4.tcp_fin_timeout=30"));
        if (DELAY_SYSCTL) {
            sysctls.add("net.ipv4.tcp_tw_reuse_delay=500");
        }
        List<String> cmd = new ArrayList<>(NetworkNamespace.with(sysctls.toArray(new String[0])));
        cmd.addAll(List.of("sleep", "300"));
        Process sleeper = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            long pid = sleeper.pid();
            awaitExec(pid, sleeper); // unshare and sh exec in place: the same pid runs sleep once the sysctls are set
            String ns = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(), ns, "a namespace of its own");

            ForkedJvm.Result r = doctor("--pid", Long.toString(pid));
            assertEquals(0, r.exit, r.toString());
            assertEquals("", r.err);
            String text = r.out.replaceFirst(", read in \\d+ ms\n", ", read in N ms\n")
                    .replaceAll("java -jar \\S+ ", "java -jar JAR ");
            String delay = DELAY_SYSCTL
                    ? "  net.ipv4.tcp_tw_reuse_delay       500          ms a port stays in TIME_WAIT before tcp_tw_reuse may take it over\n"
                    : "  net.ipv4.tcp_tw_reuse_delay       (absent)     absent (Linux before 6.14): tcp_tw_reuse takes a TIME_WAIT port after a fixed 1 s\n";
            assertEquals("ephemera doctor: /proc/" + pid + ", network namespace " + ns + " of process " + pid
                    + " (sysctls read with nsenter --net=/proc/" + pid + "/ns/net), read in N ms\n"
                    + "\n"
                    + "sysctls\n"
                    + "  net.ipv4.ip_local_port_range      40000 40299  300 ports: a plain connect() gets this many per destination (remote address:port)\n"
                    + "  net.ipv4.ip_local_reserved_ports  40100        1 of them in the range: connect() never picks them\n"
                    + "  net.ipv4.tcp_tw_reuse             0            off: a port this host closed first stays held toward that destination for the whole 60 s of TIME_WAIT, loopback included\n"
                    + delay
                    + "  net.ipv4.tcp_timestamps           1            on: tcp_tw_reuse can work (it needs TCP timestamps on both ends)\n"
                    + "  net.ipv4.tcp_max_tw_buckets       5000         at most this many TIME_WAIT sockets (0 now); past it new ones are destroyed at once\n"
                    + "  net.ipv4.tcp_fin_timeout          30           s an orphaned FIN_WAIT2 socket lingers; it does not shorten TIME_WAIT, which is always 60 s\n"
                    + "\n"
                    + "sockets\n"
                    + "  0 in all: TIME_WAIT 0, ESTABLISHED 0, CLOSE_WAIT 0\n"
                    + "  port budget per destination: 299 = 300 in the range - 1 reserved - 0 listening in the range\n"
                    + "\n"
                    + "busiest destinations (ephemeral ports in use toward each, any process)\n"
                    + "  none\n"
                    + "\n"
                    + "recommendations\n"
                    + "  - from the kernel's side, nothing: no ephemeral port is in use toward any destination; the "
                    + "agent's tests (connection lifetime, connections piling up open, connections the peer closes "
                    + "first) need the agent: java -jar JAR list, then report <pid>\n"
                    + "  - net.ipv4.tcp_tw_reuse=0: even loopback connects wait out the full 60 s of TIME_WAIT; the default, "
                    + "2, lets loopback connects take over a TIME_WAIT port after tcp_tw_reuse_delay\n", text);

            ForkedJvm.Result json = doctor("--pid", Long.toString(pid), "--json");
            assertEquals(0, json.exit, json.toString());
            Map<String, Object> d = MiniJson.object(json.out);
            assertEquals(ns, d.get("networkNamespace"));
            assertEquals("/proc/" + pid, d.get("proc"));
            assertEquals("sysctls read with nsenter --net=/proc/" + pid + "/ns/net", d.get("sysctlsFrom"));
            assertEquals(Map.of(), d.get("notRead"));
            Map<?, ?> range = (Map<?, ?>) ((Map<?, ?>) d.get("sysctls")).get("net.ipv4.ip_local_port_range");
            assertEquals("40000 40299", range.get("value"));

            ForkedJvm.Result own = doctor();
            assertEquals(0, own.exit, own.toString());
            assertFalse(own.out.contains("40000 40299"), "without --pid: this namespace, not the process's:\n" + own.out);
            assertFalse(own.out.lines().findFirst().orElse("").contains(ns), own.out);
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void doctorPidOfNoProcessIsOneErrorLine() {
        ForkedJvm.Result r = doctor("--pid", "4194304");
        assertEquals(1, r.exit, r.toString());
        assertEquals("", r.out);
        assertEquals("ephemera: doctor: no process 4194304 (/proc/4194304)\n", r.err);
    }

    /** Waits until {@code pid} runs {@code sleep}: its namespace is ready. */
    private static void awaitExec(long pid, Process p) throws IOException, InterruptedException {
        Path comm = Path.of("/proc/" + pid + "/comm");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("the namespace's setup failed: " + new String(p.getInputStream().readAllBytes()));
            }
            if (Files.exists(comm) && Files.readString(comm).strip().equals("sleep")) {
                return;
            }
            Thread.sleep(20);
        }
        fail("process " + pid + " never ran sleep");
    }

    private static ForkedJvm.Result doctor(String... args) {
        List<String> cmd = new ArrayList<>(List.of("doctor"));
        cmd.addAll(List.of(args));
        return Cli.cli(cmd.toArray(new String[0]));
    }
}
