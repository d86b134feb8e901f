package io.ephemera.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SockStatTest {

    private static final long ABSENT = SockStat.ABSENT;

    @Test
    void recordedCountersOfTheLoopbackNamespace() {
        SockStat s = SockStat.read(Fixtures.procRoot("loopback"));
        assertEquals(3, s.inUse());
        assertEquals(0, s.orphan());
        assertEquals(2, s.timeWait());
        assertEquals(12, s.allocated());
        assertEquals(2, s.timeWaitsEnded());
        assertEquals(0, s.timeWaitsRecycled());
        assertEquals(0, s.timeWaitOverflows());
    }

    @Test
    void aCounterMissingFromNetstatIsAbsent() {
        SockStat s = SockStat.read(Fixtures.procRoot("old-kernel"));
        assertEquals(27, s.inUse());
        assertEquals(4052, s.timeWait());
        assertEquals(1234567, s.timeWaitsEnded());
        assertEquals(89, s.timeWaitsRecycled());
        assertEquals(ABSENT, s.timeWaitOverflows());
    }

    @Test
    void garbledCountersAreAbsent() {
        SockStat s = SockStat.read(Fixtures.procRoot("garbled"));
        assertEquals(ABSENT, s.inUse());
        assertEquals(ABSENT, s.orphan());
        assertEquals(ABSENT, s.timeWait());
        assertEquals(ABSENT, s.allocated());
        assertEquals(ABSENT, s.timeWaitsEnded());
        assertEquals(ABSENT, s.timeWaitOverflows());
    }

    @Test
    void missingFilesAreAbsent(@TempDir Path empty) {
        SockStat s = SockStat.read(empty);
        assertEquals(ABSENT, s.inUse());
        assertEquals(ABSENT, s.timeWaitsEnded());
    }

    @Test
    void textEdgeCases() {
        SockStat s = SockStat.parse("TCP6: inuse 9\nTCP: tw 7 inuse\n", "TcpExt: TW TCPTimeWaitOverflow\nTcpExt: 5\n");
        assertEquals(ABSENT, s.inUse(), "a name without its value");
        assertEquals(7, s.timeWait());
        assertEquals(5, s.timeWaitsEnded());
        assertEquals(ABSENT, s.timeWaitOverflows(), "fewer values than names");

        SockStat empty = SockStat.parse("", "");
        assertEquals(ABSENT, empty.timeWait());
        assertEquals(ABSENT, empty.timeWaitsRecycled());
        SockStat none = SockStat.parse(null, null);
        assertEquals(ABSENT, none.allocated());
        SockStat huge = SockStat.parse("TCP: tw 99999999999999999999\n", "TcpExt: TW\nTcpExt: 18446744073709551615\n");
        assertEquals(ABSENT, huge.timeWait());
        assertEquals(ABSENT, huge.timeWaitsEnded());
    }
}
