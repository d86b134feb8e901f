package io.ephemera.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A number the kernel never gave is never reported. The agent runs with {@code proc.root} at a
 * directory whose socket tables are this JVM's own ({@code net} and {@code self} link to
 * {@code /proc}) and whose sysctls are garbage: the budget, range, hold time and reuse are
 * unknown in the log report and in the MXBean, and nothing is judged from them. The same traffic
 * against readable sysctls (a 20-port range, no reuse) is judged, so the silence is the unknown's,
 * not the traffic's.
 */
class UnknownKernelIT {

    private static final String CHURNER = "io.ephemera.it.app.Churner";

    @TempDir
    Path temp;

    /** A proc root: this namespace's tables, and the given sysctl files. */
    private Path procRoot(String name, Map<String, String> sysctls) throws IOException {
        Path root = Files.createDirectories(temp.resolve(name));
        Files.createSymbolicLink(root.resolve("net"), Path.of("/proc/self/net"));
        Files.createSymbolicLink(root.resolve("self"), Path.of("/proc/self"));
        Path ipv4 = Files.createDirectories(root.resolve("sys/net/ipv4"));
        for (Map.Entry<String, String> e : sysctls.entrySet()) {
            Files.writeString(ipv4.resolve(e.getKey()), e.getValue());
        }
        return root;
    }

    private Path garbage() throws IOException {
        Path garbled = ForkedJvm.TEST_CLASSES.resolve("proc/garbled/sys/net/ipv4");
        try (Stream<Path> files = Files.list(garbled)) {
            return procRoot("garbage", files.collect(Collectors.toMap(f -> f.getFileName().toString(), f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            })));
        }
    }

    private static ForkedJvm.Result churn(Path procRoot) {
        // the lifetime test off (churn.rate): only the budget can call the site churning
        return ForkedJvm.withAgent("proc.root=" + procRoot, "census.interval=500ms", "churn.rate=1000000/s")
                .run(90, CHURNER, "churn", "40", "3").assertOk();
    }

    private static List<String> lines(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
    }

    @Test
    void readableSysctlsJudgeTheTraffic() throws IOException {
        Path root = procRoot("known", Map.of("ip_local_port_range", "40000\t40019\n", "ip_local_reserved_ports", "\n",
                "tcp_tw_reuse", "0\n", "tcp_tw_reuse_delay", "1000\n", "tcp_timestamps", "1\n"));
        ForkedJvm.Result r = churn(root);
        String header = lines(r.err, "report=ephemera ").get(0);
        assertTrue(header.contains(" range=40000-40019 budget=20 tw_reuse=0 census=available "), header);
        assertEquals(1, lines(r.err, "finding=churn ").size(), r.err);
        assertFalse(lines(r.err, "finding=exhaustion-risk ").isEmpty(), r.err);
        assertEquals(List.of(), lines(r.err, "finding=unjudged "), r.err);
        Audit a = Audit.parse(r.out);
        assertEquals("false", a.attributes.get("CensusPartial"));
        assertEquals("", a.attributes.get("CensusUnreadable"));
    }

    @Test
    void garbageSysctlsAreUnknownEverywhereAndNothingIsJudgedFromThem() throws IOException {
        ForkedJvm.Result r = churn(garbage());
        String header = lines(r.err, "report=ephemera ").get(0);
        assertTrue(header.contains(" range=unknown budget=unknown tw_reuse=unknown census=available "), header);
        assertFalse(header.contains("budget=0"), header);
        assertEquals(List.of(), lines(r.err, "finding=churn "), "no budget, no budget test:\n" + r.err);
        assertEquals(List.of(), lines(r.err, "finding=exhaustion-risk "), r.err);
        List<String> unjudged = lines(r.err, "finding=unjudged ");
        assertEquals(1, unjudged.size(), r.err);
        assertTrue(unjudged.get(0).startsWith("finding=unjudged not_computed=churn-by-budget,exhaustion-risk sites=1 "
                + "dests=1 unknown=budget,in_use,hold unread=\"net.ipv4.ip_local_port_range (garbled: \\\"60999 32768\\\"), "),
                unjudged.get(0));
        assertEquals(1, r.err.lines().filter(l -> l.contains("the kernel's view is partial")).count(),
                "said once: " + r.err);

        Audit a = Audit.parse(r.out);
        assertEquals("true", a.attributes.get("CensusAvailable"));
        assertEquals("true", a.attributes.get("CensusPartial"));
        assertTrue(a.attributes.get("CensusUnreadable").startsWith("net.ipv4.ip_local_port_range (garbled: "),
                a.attributes.toString());
        assertEquals("", a.attributes.get("EphemeralPortRange"));
        assertEquals(-1, a.count("EphemeralPortBudget"));
        assertEquals(-1, a.count("TcpTwReuse"));
        Map<String, String> dest = a.rows("Destinations").values().iterator().next();
        assertEquals("-1", dest.get("portBudget"));
        assertEquals("-1", dest.get("portsInUse"));
        assertEquals("NaN", dest.get("headroomPercent"));
        assertEquals("NaN", dest.get("holdSeconds"));
        assertEquals("NaN", dest.get("secondsToExhaustion"));
        assertEquals("false", a.site("io.ephemera.it.app.Churner.churnRequest(").get("churning"));
    }
}
