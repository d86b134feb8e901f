package io.ephemera.cli;

import io.ephemera.kernel.HostView;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The doctor's model, text and JSON on recorded and made-up proc roots. */
class DoctorTest {

    private static final String JAR = "ephemera-agent.jar";

    @TempDir
    Path temp;

    @BeforeAll
    static void recordedOnX86() {
        ProcRoot.assumeLittleEndian();
    }

    private static Diagnosis diagnose(Path proc) {
        return Diagnosis.of(HostView.read(proc, 10), JAR);
    }

    // ---- recorded: a fresh namespace with a few loopback connections -----------------------------

    @Test
    void loopbackRecordingCountsEveryStateAndEveryDestination() {
        HostView h = HostView.read(ProcRoot.recorded("loopback"), 10);
        assertTrue(h.available());
        assertEquals(13, h.sockets());
        assertEquals(2, h.timeWait());
        assertEquals(6, h.established());
        assertEquals(1, h.closeWait());
        assertEquals(3, h.listening());
        assertEquals(Map.of("ESTABLISHED", 6, "FIN_WAIT2", 1, "TIME_WAIT", 2, "CLOSE_WAIT", 1, "LISTEN", 3), h.states());
        assertEquals(List.of("ESTABLISHED", "FIN_WAIT2", "TIME_WAIT", "CLOSE_WAIT", "LISTEN"), List.copyOf(h.states().keySet()),
                "in the kernel's order");
        assertEquals(2, h.sockStatTimeWait(), "the kernel's own count, recorded with the table");
        assertEquals(28232, h.budget(), "the listeners (5000-5002) are below the range");
        assertEquals(-1, h.finTimeoutSeconds(), "not in the recording");

        List<HostView.DestinationLoad> d = h.destinations();
        assertEquals(List.of("127.0.0.1:5000", "127.0.0.1:5002", "[::1]:5001"),
                List.of(d.get(0).key(), d.get(1).key(), d.get(2).key()), "most in use, most TIME_WAIT, then by address");
        // the client sides only: the server sides' local ports (5000-5002) are not ephemeral
        assertEquals(2, d.get(0).inUse());
        assertEquals(1, d.get(0).timeWait());
        assertEquals(1, d.get(0).established());
        assertEquals(1, d.get(2).other(), "the half-closed FIN_WAIT2 client side");
        assertEquals(0, d.get(0).freeingWithin(30));
        assertEquals(1, d.get(0).freeingWithin(60), "59.74 s left");
        assertEquals(0, d.get(0).timeWaitPastReuseDelay(), "entered TIME_WAIT 0.26 s before the recording");
        assertEquals(1, d.get(0).unowned(), "no process directories in a recording");
        assertEquals(3, h.destinationCount());
    }

    @Test
    void loopbackRecordingWhatIfsAndText() {
        Diagnosis d = diagnose(ProcRoot.recorded("loopback"));
        Diagnosis.Destination first = d.destinations().get(0);
        WhatIf now = first.now();
        assertEquals(28232, now.budget());
        assertEquals(2, now.blocked());
        assertEquals(1.0, now.holdSeconds(), "loopback with tcp_tw_reuse=2: a second");
        WhatIf wide = first.whatIfs().get(1);
        assertEquals("range 1024 65535", wide.name());
        assertEquals(64512 - 3, wide.budget(), "the three listeners are inside the wider range");
        assertFalse(first.shortOfPorts());
        assertFalse(first.churning());
        assertTrue(d.recommendations().get(0).startsWith("from the kernel's side, nothing: no destination is short of ports"),
                d.recommendations().toString());

        String text = DoctorText.format(d);
        assertTrue(text.contains("  net.ipv4.tcp_tw_reuse             2            loopback only (the default)"), text);
        assertTrue(text.contains("  net.ipv4.tcp_fin_timeout          (unknown)    an orphaned FIN_WAIT2"), text);
        assertTrue(text.contains("not read (unknown here, never taken as a default)\n  net.ipv4.tcp_fin_timeout  missing\n"),
                text);
        assertTrue(text.contains("  13 in all: TIME_WAIT 2, ESTABLISHED 6, CLOSE_WAIT 1, FIN_WAIT2 1, LISTEN 3\n"), text);
        assertTrue(text.contains("  port budget per destination: 28,232 = 28,232 in the range - 0 reserved - 0 listening"),
                text);
        assertTrue(text.contains("  127.0.0.1:5000  in use 2: TIME_WAIT 1, ESTABLISHED 1, CLOSE_WAIT 0, other 0\n"
                + "    TIME_WAIT ports freeing: 0 within 10 s, 0 within 30 s, 1 within 60 s\n"
                + "    closed first here in the last 10 s: 1 (0.1/s); at that rate 1 port stays held (1 s each, 0.0% of "
                + "the budget)\n"
                + "    owners: 1 socket whose process was not found, TIME_WAIT has no owner\n"
                + "    what if              budget   headroom            hold       sustains       held at 0.1/s\n"
                + "    now                  28,232     28,230   100.0%    1 s       28,232/s                   1\n"
                + "    range 1024 65535     64,509     64,507   100.0%    1 s       64,509/s                   1\n"), text);
    }

    @Test
    void loopbackRecordingAsJson() {
        Map<String, Object> json = MiniJson.object(DoctorJson.format(diagnose(ProcRoot.recorded("loopback"))));
        assertEquals(true, json.get("available"));
        Map<?, ?> sysctls = (Map<?, ?>) json.get("sysctls");
        assertEquals("32768 60999", ((Map<?, ?>) sysctls.get("net.ipv4.ip_local_port_range")).get("value"));
        assertEquals("", ((Map<?, ?>) sysctls.get("net.ipv4.ip_local_reserved_ports")).get("value"));
        assertNull(((Map<?, ?>) sysctls.get("net.ipv4.tcp_fin_timeout")).get("value"), "unreadable is null");
        Map<?, ?> sockets = (Map<?, ?>) json.get("sockets");
        assertEquals(new BigDecimal(2), sockets.get("timeWait"));
        assertEquals(new BigDecimal(13), sockets.get("total"));
        assertEquals(new BigDecimal(6), ((Map<?, ?>) sockets.get("byState")).get("ESTABLISHED"));
        Map<?, ?> budget = (Map<?, ?>) json.get("budget");
        assertEquals(new BigDecimal(28232), budget.get("perDestination"));
        List<?> destinations = (List<?>) json.get("destinations");
        assertEquals(3, destinations.size());
        Map<?, ?> v6 = (Map<?, ?>) destinations.get(2);
        assertEquals("[::1]:5001", v6.get("destination"));
        assertEquals("::1", v6.get("address"));
        assertEquals(true, v6.get("loopback"));
        assertEquals(4, ((List<?>) v6.get("whatIf")).size());
        assertEquals(Map.of("10s", BigDecimal.ZERO, "30s", BigDecimal.ZERO, "60s", BigDecimal.ZERO),
                v6.get("timeWaitFreeing"));
        assertTrue(json.get("recommendations") instanceof List);
    }

    // ---- recorded: a kernel before 6.14, without socket tables ------------------------------------

    @Test
    void withoutSocketTablesTheSysctlsAreStillShownAndTheCommandFails() {
        MainTest.Run r = MainTest.run("doctor", "--proc", ProcRoot.recorded("old-kernel").toString());
        assertEquals(Exit.FAILED, r.exit(), r.toString());
        assertTrue(r.err().startsWith("ephemera: doctor: cannot read ") && r.err().indexOf('\n') == r.err().length() - 1,
                r.err());
        assertTrue(r.out().contains("  net.ipv4.tcp_tw_reuse_delay       (absent)                                absent "
                + "(Linux before 6.14): tcp_tw_reuse takes a TIME_WAIT port after a fixed 1 s"), r.out());
        assertTrue(r.out().contains("5 of them in the range: connect() never picks them"), r.out());
        assertTrue(r.out().contains("off: tcp_tw_reuse cannot work"), r.out());
        assertTrue(r.out().contains("  unavailable: cannot read "), r.out());
        assertTrue(r.out().contains("  port budget per destination: unknown: the socket tables could not be read (they "
                + "show the listening ports in the range)\n"), "the listeners are not known: no budget: " + r.out());
        assertTrue(r.out().contains("  - the socket tables could not be read: no destination can be judged\n"), r.out());
        assertFalse(r.out().contains("nothing to do"), r.out());
    }

    // ---- recorded: one socket per state ------------------------------------------------------------

    @Test
    void everyStateIsCountedAndListenersTakeTheirPortFromTheBudget() throws IOException {
        Path proc = copy("loopback", "sys");
        Files.createDirectories(proc.resolve("net"));
        Files.copy(ProcRoot.recorded("states").resolve("net/tcp"), proc.resolve("net/tcp"));
        HostView h = HostView.read(proc, 10);
        assertEquals(14, h.sockets());
        Map<String, Integer> expected = new HashMap<>();
        for (String s : List.of("ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
                "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV")) {
            expected.put(s, 1);
        }
        expected.put("UNKNOWN", 2);
        assertEquals(expected, h.states());
        assertEquals(28232 - 1, h.budget(), "the listener on 40010 is inside the range");
        HostView.DestinationLoad d = h.destinations().get(0);
        assertEquals("192.168.1.200:443", d.key());
        assertEquals(13, d.inUse(), "every socket but the listener");
        assertEquals(1, d.timeWait());
        assertEquals(1, d.freeingWithin(60), "03:00001770 is 60 s");
        assertEquals(0, d.freeingWithin(30));
        assertEquals(11, d.unowned(), "TIME_WAIT and SYN_RECV have no inode");
    }

    // ---- made up: a destination short of ports ----------------------------------------------------

    /**
     * 20 ports (40000-40019), 40019 reserved, a listener on 40018: 18 per destination. Toward
     * 10.0.0.5:8080: 12 TIME_WAIT (3 ending within 5 s, 4 within 25 s, 5 within 45 s), 2
     * ESTABLISHED of pid 4242 (java), 1 CLOSE_WAIT of pid 4243 (curl), 1 ESTABLISHED whose process
     * is not there. An accepted connection on the listener, and one IPv6 connection.
     */
    private Path shortOfPorts() {
        return shortOfPorts(4500);
    }

    /** As {@link #shortOfPorts()}, the last five TIME_WAIT sockets with {@code lastTicks} left. */
    private Path shortOfPorts(long lastTicks) {
        ProcRoot p = new ProcRoot(temp)
                .sysctl("ip_local_port_range", "40000\t40019")
                .sysctl("ip_local_reserved_ports", "40019")
                .sysctl("tcp_tw_reuse", "0")
                .sysctl("tcp_tw_reuse_delay", "1000")
                .sysctl("tcp_timestamps", "1")
                .sysctl("tcp_max_tw_buckets", "12")
                .sysctl("tcp_fin_timeout", "60")
                .file("net/sockstat", "sockets: used 20\nTCP: inuse 5 orphan 0 tw 12 alloc 8 mem 1\n")
                .file("net/netstat", "TcpExt: TW TWRecycled TCPTimeWaitOverflow\nTcpExt: 100 0 7\n")
                .socket("10.0.0.1", 40018, "0.0.0.0", 0, ProcRoot.LISTEN, 0, 900)
                .socket("10.0.0.1", 40018, "10.0.0.9", 50000, ProcRoot.ESTABLISHED, 0, 901);
        int port = 40000;
        long[] ticks = {500, 500, 500, 2500, 2500, 2500, 2500, lastTicks, lastTicks, lastTicks, lastTicks, lastTicks};
        for (long t : ticks) {
            p.socket("10.0.0.1", port++, "10.0.0.5", 8080, ProcRoot.TIME_WAIT, t, 0);
        }
        p.socket("10.0.0.1", port++, "10.0.0.5", 8080, ProcRoot.ESTABLISHED, 0, 5001)
                .socket("10.0.0.1", port++, "10.0.0.5", 8080, ProcRoot.ESTABLISHED, 0, 5002)
                .socket("10.0.0.1", port++, "10.0.0.5", 8080, ProcRoot.CLOSE_WAIT, 0, 5003)
                .socket("10.0.0.1", port++, "10.0.0.5", 8080, ProcRoot.ESTABLISHED, 0, 5004)
                .socket("2001:db8::2", port, "2001:db8::1", 443, ProcRoot.ESTABLISHED, 0, 7000)
                .process(4242, "java", "/opt/jdk/bin/java -cp app.jar com.acme.Billing", 5001, 9999, 5002)
                .process(4243, "curl", "curl http://10.0.0.5:8080/", 5003)
                .process(4244, "sshd", "sshd: root", 901);
        return p.write();
    }

    @Test
    void aDestinationShortOfPortsWithItsForecastOwnersAndWhatIfs() {
        Diagnosis d = diagnose(shortOfPorts());
        HostView h = d.host();
        assertEquals(18, h.budget());
        assertEquals(1, h.listeningPortsIn(40000, 40019));
        assertEquals(7, h.timeWaitOverflows());
        assertEquals(2, h.destinationCount(), "the accepted connection on the listening port is not a destination");

        Diagnosis.Destination dest = d.destinations().get(0);
        HostView.DestinationLoad l = dest.load();
        assertEquals("10.0.0.5:8080", l.key());
        assertEquals(16, l.inUse());
        assertEquals(List.of(3, 7, 12), List.of(l.freeingWithin(10), l.freeingWithin(30), l.freeingWithin(60)));
        assertEquals(12, l.timeWaitPastReuseDelay());
        assertEquals(0, l.timeWaitEnteredRecently(), "every TIME_WAIT began 15 s ago or more");
        assertEquals(0.0, dest.closeRate());
        assertEquals(2, l.owners().size());
        assertEquals(4242, l.owners().get(0).pid());
        assertEquals(2, l.owners().get(0).sockets());
        assertEquals(0, l.owners().get(0).closeWait());
        assertEquals(List.of("/opt/jdk/bin/java", "-cp", "app.jar", "com.acme.Billing"), l.owners().get(0).argv());
        assertEquals(4243, l.owners().get(1).pid());
        assertEquals(1, l.owners().get(1).closeWait());
        assertEquals(1, l.unowned());
        assertTrue(h.ownerLookup().complete());

        assertTrue(dest.shortOfPorts());
        Map<String, WhatIf> w = new HashMap<>();
        dest.whatIfs().forEach(x -> w.put(x.name(), x));
        assertEquals(2, w.get("now").headroom());
        assertEquals(60.0, w.get("now").holdSeconds(), "not loopback, or tcp_tw_reuse=0: the full TIME_WAIT");
        assertEquals(18 / 60.0, w.get("now").sustainableRate(), 1e-9);
        assertEquals(64512 - 2, w.get("range 1024 65535").budget(), "the reserved and the listening port");
        assertEquals(64510 - 16, w.get("range 1024 65535").headroom());
        assertEquals(14, w.get("tcp_tw_reuse=1").headroom(), "the 12 TIME_WAIT ports past the delay come back");
        assertEquals(1.0, w.get("tcp_tw_reuse=1").holdSeconds());
        assertEquals(64510 - 4, w.get("both").headroom());

        List<String> recs = d.recommendations();
        assertEquals("10.0.0.5:8080 is short of ports: 16 of its 18 in use (12 in TIME_WAIT), 11.1% headroom. The cure "
                + "is reusing connections to it (keep-alive, a pool, one shared client); find the line of code with the "
                + "agent: java -jar ephemera-agent.jar attach 4242, then java -jar ephemera-agent.jar report 4242; its "
                + "open connections belong to 4243 (curl). The sysctls buy headroom, not a cure: range 1024 65535 "
                + "100.0%, tcp_tw_reuse=1 77.8%, both 100.0%", recs.get(0));
        assertTrue(recs.get(1).startsWith("1 listening port lies inside ip_local_port_range (40018)"), recs.toString());
        assertTrue(recs.get(2).startsWith("net.ipv4.tcp_tw_reuse=0"), recs.toString());
        assertTrue(recs.get(3).startsWith("TIME_WAIT sockets reach net.ipv4.tcp_max_tw_buckets (12 now, limit 12, 7 "
                + "destroyed early since boot)"), recs.toString());
        assertTrue(recs.get(4).startsWith("1 socket in CLOSE_WAIT (1 toward 10.0.0.5:8080 held by pid 4243 (curl))"),
                recs.toString());
        assertEquals(5, recs.size(), recs.toString());
    }

    @Test
    void theShortDestinationInTextAndJson() {
        Diagnosis d = diagnose(shortOfPorts());
        String text = DoctorText.format(d);
        assertTrue(text.contains("  10.0.0.5:8080  in use 16: TIME_WAIT 12, ESTABLISHED 3, CLOSE_WAIT 1, other 0\n"
                + "    TIME_WAIT ports freeing: 3 within 10 s, 7 within 30 s, 12 within 60 s\n"
                + "    closed first here in the last 10 s: none\n"
                + "    owners: pid 4242 com.acme.Billing (2 sockets), pid 4243 curl http://10.0.0.5:8080/ (1 socket), "
                + "1 socket whose process was not found, TIME_WAIT has no owner\n"), text);
        assertTrue(text.contains("    now                      18          2    11.1%   60 s          0.3/s                   4\n"),
                text);
        assertTrue(text.contains("    tcp_tw_reuse=1           18         14    77.8%    1 s           18/s                   4\n"),
                text);
        assertTrue(text.contains("  [2001:db8::1]:443  in use 1"), text);
        assertTrue(text.contains("  port budget per destination: 18 = 20 in the range - 1 reserved - 1 listening"), text);

        Map<String, Object> json = MiniJson.object(DoctorJson.format(d));
        Map<?, ?> dest = (Map<?, ?>) ((List<?>) json.get("destinations")).get(0);
        assertEquals(true, dest.get("shortOfPorts"));
        assertEquals(Map.of("10s", new BigDecimal(3), "30s", new BigDecimal(7), "60s", new BigDecimal(12)),
                dest.get("timeWaitFreeing"));
        Map<?, ?> owner = (Map<?, ?>) ((List<?>) dest.get("owners")).get(0);
        assertEquals(new BigDecimal(4242), owner.get("pid"));
        assertEquals("com.acme.Billing", owner.get("commandLine"));
        Map<?, ?> now = (Map<?, ?>) ((List<?>) dest.get("whatIf")).get(0);
        assertEquals(new BigDecimal("11.1"), now.get("headroomPercent"));
        assertEquals(new BigDecimal("0.3"), now.get("sustainableRatePerSecond"));
        assertEquals("40000 40019", now.get("range"));
        assertEquals(5, ((List<?>) json.get("recommendations")).size());
    }

    @Test
    void aRecentCloseRateThatOutrunsTheBudgetIsAForecastOfExhaustion() {
        Diagnosis d = diagnose(shortOfPorts(5500)); // five entered TIME_WAIT 5 s ago: 0.5/s
        Diagnosis.Destination dest = d.destinations().get(0);
        assertEquals(5, dest.load().timeWaitEnteredRecently());
        assertEquals(0.5, dest.closeRate());
        WhatIf now = dest.now();
        assertEquals(0.5 * 60 + 4, now.projected(), 1e-9, "rate × hold + the 4 live sockets");
        assertTrue(now.onCourseToExhaustion());
        assertEquals(4.0, now.secondsToExhaustion(), 1e-9, "2 ports left at 0.5/s");
        WhatIf reuse = dest.whatIfs().get(2);
        assertFalse(reuse.onCourseToExhaustion(), "a port back after 1 s: 0.5 + 4 held");
        assertTrue(d.recommendations().get(0).startsWith("10.0.0.5:8080 is on course to run out of ports: at 0.5 "
                + "connections/s closed first here, each holding its port 60 s, it needs 34 of its 18; about 4 s left. "),
                d.recommendations().get(0));
        assertTrue(DoctorText.format(d).contains("    closed first here in the last 10 s: 5 (0.5/s); at that rate 34 ports "
                + "stay held (60 s each, 188.9% of the budget): on course to run out in about 4 s\n"), DoctorText.format(d));
        Map<?, ?> json = (Map<?, ?>) ((List<?>) MiniJson.object(DoctorJson.format(d)).get("destinations")).get(0);
        assertEquals(new BigDecimal(5), json.get("timeWaitEnteredLast10s"));
        assertEquals(new BigDecimal("0.5"), json.get("closeRatePerSecond"));
        Map<?, ?> nowJson = (Map<?, ?>) ((List<?>) json.get("whatIf")).get(0);
        assertEquals(true, nowJson.get("onCourseToExhaustion"));
        assertEquals(new BigDecimal("4.0"), nowJson.get("secondsToExhaustion"));
        assertEquals(new BigDecimal(34), nowJson.get("projectedHeld"));
    }

    @Test
    void topLimitsTheDestinationsShown() {
        HostView h = HostView.read(shortOfPorts(), 1);
        assertEquals(1, h.destinations().size());
        assertEquals(2, h.destinationCount());
        assertTrue(DoctorText.format(Diagnosis.of(h, JAR)).contains("  the 1 busiest of 2\n"));
    }

    @Test
    void anEmptyNamespaceHasNothingToDo() {
        Path proc = new ProcRoot(temp).sysctl("ip_local_port_range", "32768\t60999").sysctl("ip_local_reserved_ports", "")
                .sysctl("tcp_tw_reuse", "2").sysctl("tcp_tw_reuse_delay", "1000").sysctl("tcp_timestamps", "1").write();
        Diagnosis d = diagnose(proc);
        assertEquals(List.of("from the kernel's side, nothing: no ephemeral port is in use toward any destination; the "
                + "agent's tests (connection lifetime, connections piling up open, connections the peer closes first) need "
                + "the agent: java -jar ephemera-agent.jar list, then report <pid>"), d.recommendations());
        assertTrue(DoctorText.format(d).contains("busiest destinations (ephemeral ports in use toward each, any process)\n"
                + "  none\n"));
        assertEquals(List.of(), MiniJson.object(DoctorJson.format(d)).get("destinations"));
    }

    // ---- what could not be read is unknown, never a default ----------------------------------------

    @Test
    void garbledSysctlsAreNamedAndNoBudgetIsComputedFromThem() throws IOException {
        Path proc = copy("garbled", "sys");
        Files.createDirectories(proc.resolve("net"));
        for (String table : List.of("net/tcp", "net/tcp6")) {
            Files.copy(ProcRoot.recorded("loopback").resolve(table), proc.resolve(table));
        }
        MainTest.Run r = MainTest.run("doctor", "--proc", proc.toString());
        assertEquals(Exit.OK, r.exit(), "the socket tables were read: " + r);
        String text = r.out();
        assertTrue(text.contains("  net.ipv4.ip_local_port_range      (unknown)  the port budget cannot be computed\n"), text);
        assertTrue(text.contains("  net.ipv4.tcp_tw_reuse             (unknown)  the hold time cannot be told"), text);
        assertTrue(text.contains("\nnot read (unknown here, never taken as a default)\n"
                + "  net.ipv4.ip_local_port_range      garbled: \"60999 32768\"\n"
                + "  net.ipv4.ip_local_reserved_ports  garbled: \"8080,abc\"\n"
                + "  net.ipv4.tcp_tw_reuse             garbled: \"two\"\n"
                + "  net.ipv4.tcp_tw_reuse_delay       garbled: \"\"\n"
                + "  net.ipv4.tcp_timestamps           garbled: \"1 1\"\n"
                + "  net.ipv4.tcp_max_tw_buckets       garbled: \"99999999999999999999\"\n"
                + "  net.ipv4.tcp_fin_timeout          missing\n\n"), text);
        assertTrue(text.contains("  port budget per destination: unknown: net.ipv4.ip_local_port_range and "
                + "net.ipv4.ip_local_reserved_ports could not be read\n"), text);
        assertTrue(text.contains("  - net.ipv4.ip_local_port_range, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_tw_reuse, "
                + "net.ipv4.tcp_tw_reuse_delay, net.ipv4.tcp_timestamps could not be read: no destination can be judged"),
                text);
        assertFalse(text.contains("nothing to do"), "no socket is known to be ephemeral without the range: " + text);
        assertFalse(text.contains("taken as 2") || text.contains("taken as on") || text.contains("taken as none"), text);

        Map<String, Object> json = MiniJson.object(DoctorJson.format(diagnose(proc)));
        Map<?, ?> notRead = (Map<?, ?>) json.get("notRead");
        assertEquals("garbled: \"two\"", notRead.get("net.ipv4.tcp_tw_reuse"));
        assertEquals(7, notRead.size(), notRead.toString());
        Map<?, ?> budget = (Map<?, ?>) json.get("budget");
        for (String field : List.of("rangeLow", "rangeHigh", "rangePorts", "reservedInRange", "listeningPortsInRange",
                "perDestination")) {
            assertTrue(budget.containsKey(field) && budget.get(field) == null, field + " is null: " + budget);
        }
        assertEquals("net.ipv4.ip_local_port_range and net.ipv4.ip_local_reserved_ports could not be read",
                budget.get("unknownReason"));
        assertNull(((Map<?, ?>) ((Map<?, ?>) json.get("sysctls")).get("net.ipv4.tcp_tw_reuse")).get("value"));
        assertTrue(String.valueOf(json.get("unjudgedReason")).startsWith("net.ipv4.ip_local_port_range, "), json.toString());
    }

    @Test
    void anUnreadReuseSysctlLeavesTheDestinationsUnjudged() {
        Path proc = new ProcRoot(temp).sysctl("ip_local_port_range", "40000\t40019").sysctl("ip_local_reserved_ports", "")
                .sysctl("tcp_tw_reuse", "x").sysctl("tcp_tw_reuse_delay", "1000").sysctl("tcp_timestamps", "1")
                .socket("10.0.0.1", 40001, "127.0.0.1", 8080, ProcRoot.TIME_WAIT, 5900, 0)
                .socket("10.0.0.1", 40002, "127.0.0.1", 8080, ProcRoot.TIME_WAIT, 5900, 0)
                .write();
        Diagnosis d = diagnose(proc);
        assertEquals(20, d.host().budget(), "the budget needs no tcp_tw_reuse");
        Diagnosis.Destination dest = d.destinations().get(0);
        assertEquals(List.of(), dest.whatIfs(), "loopback: whether the TIME_WAIT ports come back after a second is unknown");
        assertFalse(dest.shortOfPorts());
        assertFalse(dest.churning());
        String text = DoctorText.format(d);
        assertTrue(text.contains("    headroom, forecast and what ifs: not computed: net.ipv4.tcp_tw_reuse could not be read\n"),
                text);
        assertTrue(d.recommendations().get(0).startsWith("net.ipv4.tcp_tw_reuse could not be read: no destination can be "
                + "judged"), d.recommendations().toString());
    }

    // ---- --pid: another process's network namespace -------------------------------------------------

    /** A proc root where process 77 lives in namespace {@code ns}, and this command in {@code net:[1]}. */
    private Path processIn(String ns) throws IOException {
        ProcRoot p = new ProcRoot(temp).sysctl("ip_local_port_range", "32768\t60999").sysctl("ip_local_reserved_ports", "")
                .sysctl("tcp_tw_reuse", "2").sysctl("tcp_tw_reuse_delay", "1000").sysctl("tcp_timestamps", "1")
                .file("77/net/tcp", ProcRoot.HEADER).file("77/net/tcp6", ProcRoot.HEADER);
        Path root = p.write();
        Files.createDirectories(root.resolve("self/ns"));
        Files.createDirectories(root.resolve("77/ns"));
        Files.createSymbolicLink(root.resolve("self/ns/net"), Path.of("net:[1]"));
        Files.createSymbolicLink(root.resolve("77/ns/net"), Path.of(ns));
        return root;
    }

    @Test
    void pidInThisNamespaceReadsItsTablesAndTheseSysctls() throws IOException {
        Path proc = processIn("net:[1]");
        MainTest.Run r = MainTest.run("doctor", "--proc", proc.toString(), "--pid", "77");
        assertEquals(Exit.OK, r.exit(), r.toString());
        assertTrue(r.out().startsWith("ephemera doctor: " + proc.resolve("77") + ", network namespace net:[1] of process 77 "
                + "(this command's own), read in "), r.out());
        assertTrue(r.out().contains("  net.ipv4.ip_local_port_range      32768 60999"), r.out());
    }

    @Test
    void pidInAnotherNamespaceNeverShowsTheseSysctlsAsItsOwn() throws IOException {
        Path proc = processIn("net:[2]");
        MainTest.Run r = MainTest.run("doctor", "--proc", proc.toString(), "--pid", "77");
        assertEquals(Exit.OK, r.exit(), r.toString());
        assertTrue(r.out().startsWith("ephemera doctor: " + proc.resolve("77") + ", network namespace net:[2] of process 77 "
                + "(its sysctls could not be read: another namespace's sysctls are read with nsenter, from the live /proc, "
                + "not from " + proc + "), read in "), r.out());
        assertFalse(r.out().contains("32768 60999"), "this namespace's range is not the process's: " + r.out());
        assertTrue(r.out().contains("  net.ipv4.ip_local_port_range      (unknown)"), r.out());
        assertTrue(r.out().contains("  net.ipv4.* (every sysctl)  another namespace's sysctls are read with nsenter"), r.out());
        Map<String, Object> json = MiniJson.object(MainTest.run("doctor", "--proc", proc.toString(), "--pid", "77", "--json")
                .out());
        assertEquals(new BigDecimal(77), json.get("pid"));
        assertEquals("net:[2]", json.get("networkNamespace"));
        assertTrue(String.valueOf(json.get("sysctlsFrom")).startsWith("its sysctls could not be read"), json.toString());
    }

    @Test
    void pidOfNoProcessIsOneErrorLine() throws IOException {
        Path proc = processIn("net:[1]");
        MainTest.Run r = MainTest.run("doctor", "--proc", proc.toString(), "--pid", "78");
        assertEquals(Exit.FAILED, r.exit(), r.toString());
        assertEquals("ephemera: doctor: no process 78 (" + proc.resolve("78") + ")\n", r.err());
        assertEquals("", r.out());
        assertEquals(Exit.USAGE, MainTest.run("doctor", "--pid", "0").exit());
        assertEquals(Exit.USAGE, MainTest.run("doctor", "--pid", "x").exit());
    }

    private Path copy(String recorded, String subtree) throws IOException {
        Path from = ProcRoot.recorded(recorded);
        Path proc = temp.resolve("proc");
        try (var files = Files.walk(from.resolve(subtree))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = proc.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return proc;
    }
}
