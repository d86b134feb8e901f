package io.ephemera.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

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
        assertEquals(ABSENT, s.twReuseDelayMillis());
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
    }

    @Test
    void aMissingProcRootMakesEverythingAbsent(@TempDir Path empty) {
        Sysctls s = Sysctls.read(empty.resolve("nowhere"));
        assertEquals(ABSENT, s.portRangeLow());
        assertFalse(s.reservedPorts().known());
        assertEquals(ABSENT, s.twReuse());
        assertEquals(ABSENT, s.maxTwBuckets());
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
