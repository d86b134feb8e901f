package io.ephemera.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SysctlsTest {

    private static final int ABSENT = Sysctls.ABSENT;

    @Test
    void recordedDefaultsOfARecentKernel() {
        Sysctls s = Sysctls.read(Fixtures.procRoot("loopback"));
        assertEquals(32768, s.portRangeLow());
        assertEquals(60999, s.portRangeHigh());
        assertEquals(28232, s.portRangeSize());
        assertTrue(s.reservedPorts().known());
        assertEquals(0, s.reservedPorts().size());
        assertEquals(0, s.reservedInRange(0, 65535));
        assertEquals(28232, s.usablePorts());
        assertEquals(2, s.twReuse());
        assertEquals(1000, s.twReuseDelayMillis());
        assertEquals(1, s.timestamps());
        assertEquals(131072, s.maxTwBuckets());
    }

    @Test
    void beforeLinux614ThereIsNoReuseDelay() {
        Sysctls s = Sysctls.read(Fixtures.procRoot("old-kernel"));
        assertEquals(Sysctls.NOT_IN_KERNEL, s.twReuseDelayMillis(), "missing beside tcp_tw_reuse: the kernel has none");
        assertFalse(s.unread().containsKey("net.ipv4.tcp_tw_reuse_delay"), "absent from the kernel is not unread");
        assertFalse(s.modelIncomplete());
        assertEquals(Map.of("net.ipv4.tcp_fin_timeout", "missing"), s.unread(), "not in the recording");
        assertEquals(0, s.twReuse());
        assertEquals(0, s.timestamps());
        assertEquals(4096, s.maxTwBuckets());
    }

    @Test
    void reservedPortsAreCountedOnceInsideTheRange() {
        Sysctls s = Sysctls.read(Fixtures.procRoot("old-kernel"));
        // recorded: 8080,9000-9010,32768-32770,33000,60999
        assertEquals(17, s.reservedPorts().size());
        assertEquals(5, s.reservedInRange(s.portRangeLow(), s.portRangeHigh()));
        assertEquals(28232 - 5, s.usablePorts());
        assertTrue(s.isReserved(8080));
        assertTrue(s.isReserved(9005));
        assertTrue(s.isReserved(60999));
        assertFalse(s.isReserved(8081));
        assertFalse(s.isReserved(61000));
        assertFalse(s.isReserved(-1));
        assertFalse(s.isReserved(70000));
    }

    @Test
    void garbledValuesAreAbsent() {
        Sysctls s = Sysctls.read(Fixtures.procRoot("garbled"));
        assertEquals(ABSENT, s.portRangeLow());
        assertEquals(ABSENT, s.portRangeHigh());
        assertEquals(ABSENT, s.portRangeSize());
        assertSame(ReservedPorts.UNKNOWN, s.reservedPorts());
        assertEquals(ABSENT, s.reservedInRange(0, 65535));
        assertEquals(ABSENT, s.usablePorts());
        assertEquals(ABSENT, s.twReuse());
        assertEquals(ABSENT, s.twReuseDelayMillis());
        assertEquals(ABSENT, s.timestamps());
        assertEquals(ABSENT, s.maxTwBuckets());
        assertTrue(s.modelIncomplete());
        Map<String, String> unread = new LinkedHashMap<>();
        unread.put("net.ipv4.ip_local_port_range", "garbled: \"60999 32768\"");
        unread.put("net.ipv4.ip_local_reserved_ports", "garbled: \"8080,abc\"");
        unread.put("net.ipv4.tcp_tw_reuse", "garbled: \"two\"");
        unread.put("net.ipv4.tcp_tw_reuse_delay", "garbled: \"\"");
        unread.put("net.ipv4.tcp_timestamps", "garbled: \"1 1\"");
        unread.put("net.ipv4.tcp_max_tw_buckets", "garbled: \"99999999999999999999\"");
        unread.put("net.ipv4.tcp_fin_timeout", "missing");
        assertEquals(unread, s.unread(), "each one named with why, in reading order");
        assertEquals(List.copyOf(unread.keySet()), List.copyOf(s.unread().keySet()));
    }

    @Test
    void aMissingProcRootMakesEverythingAbsent(@TempDir Path empty) {
        Sysctls s = Sysctls.read(empty.resolve("nowhere"));
        assertEquals(ABSENT, s.portRangeLow());
        assertFalse(s.reservedPorts().known());
        assertEquals(ABSENT, s.twReuse());
        assertEquals(ABSENT, s.twReuseDelayMillis(), "missing with its sibling: unknown, not an old kernel");
        assertEquals(ABSENT, s.maxTwBuckets());
        assertEquals(Sysctls.NAMES.size(), s.unread().size());
        assertEquals("missing", s.unread().get("net.ipv4.tcp_tw_reuse_delay"));
    }

    @Test
    void anotherNamespacesSysctlsThatCannotBeReadAreAllUnknownWithTheReason() {
        Sysctls s = Sysctls.read(SysctlSource.unavailable("not root"));
        assertEquals(ABSENT, s.portRangeLow());
        assertEquals(ABSENT, s.twReuseDelayMillis());
        assertEquals(Sysctls.NAMES.size(), s.unread().size());
        assertTrue(s.unread().values().stream().allMatch("not root"::equals), s.unread().toString());
    }

    @Test
    void nsentersOutputIsReadLineByLine() {
        Map<String, SysctlSource.Read> out = new HashMap<>();
        SysctlSource.parse("ip_local_port_range =40000\t40299\nip_local_reserved_ports =\ntcp_tw_reuse_delay missing\n"
                + "tcp_timestamps unreadable\nnot_ours =1\ntcp_tw_reuse =2\ntcp_tw_reuse =0\n", out);
        assertEquals("40000\t40299", out.get("ip_local_port_range").text());
        assertEquals("", out.get("ip_local_reserved_ports").text(), "empty: none reserved");
        assertTrue(out.get("tcp_tw_reuse_delay").missing());
        assertEquals("unreadable", out.get("tcp_timestamps").problem());
        assertEquals("2", out.get("tcp_tw_reuse").text(), "the first line of a name counts");
        assertFalse(out.containsKey("not_ours"));
    }

    @Test
    void portRangeText() {
        assertArrayEquals(new int[] {32768, 60999}, Sysctls.portRange("32768\t60999\n"));
        assertArrayEquals(new int[] {40000, 40000}, Sysctls.portRange("40000 40000"));
        assertArrayEquals(new int[] {ABSENT, ABSENT}, Sysctls.portRange("32768"));
        assertArrayEquals(new int[] {ABSENT, ABSENT}, Sysctls.portRange("1 2 3"));
        assertArrayEquals(new int[] {ABSENT, ABSENT}, Sysctls.portRange("1 65536"));
        assertArrayEquals(new int[] {ABSENT, ABSENT}, Sysctls.portRange("-1 5"));
        assertArrayEquals(new int[] {ABSENT, ABSENT}, Sysctls.portRange(""));
        assertArrayEquals(new int[] {ABSENT, ABSENT}, Sysctls.portRange(null));
    }

    @Test
    void singleValueText() {
        assertEquals(2, Sysctls.single("2\n"));
        assertEquals(ABSENT, Sysctls.single(""));
        assertEquals(ABSENT, Sysctls.single("2 3"));
        assertEquals(ABSENT, Sysctls.single("-3"));
        assertEquals(ABSENT, Sysctls.single("3000000000"));
        assertEquals(ABSENT, Sysctls.single(null));
    }

    @Test
    void reservedPortLists() {
        ReservedPorts none = ReservedPorts.parse("\n");
        assertTrue(none.known());
        assertEquals(0, none.size());
        assertEquals(0, none.reservedInRange(32768, 60999));

        ReservedPorts overlapping = ReservedPorts.parse("100-200,150-250,150,0,65535\n");
        assertEquals(153, overlapping.size());
        assertEquals(153, overlapping.reservedInRange(-5, 70000));
        assertEquals(51, overlapping.reservedInRange(200, 250));
        assertEquals(0, overlapping.reservedInRange(250, 200));
        assertTrue(overlapping.isReserved(0));
        assertTrue(overlapping.isReserved(65535));

        for (String bad : new String[] {"8080,", ",8080", "80-", "-80", "90-80", "65536", "1-2-3", "8o", "8080;9090"}) {
            ReservedPorts r = ReservedPorts.parse(bad);
            assertSame(ReservedPorts.UNKNOWN, r, bad);
            assertEquals(-1, r.reservedInRange(0, 65535), bad);
            assertFalse(r.isReserved(8080), bad);
        }
        assertSame(ReservedPorts.UNKNOWN, ReservedPorts.parse(null));
    }
}
