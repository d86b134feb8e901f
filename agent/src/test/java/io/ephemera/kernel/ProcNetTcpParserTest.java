package io.ephemera.kernel;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcNetTcpParserTest {

    private static final long LOOPBACK_V4_LO = 0x0000_FFFF_7F00_0001L;

    private static List<KernelSocket> scan(String procRoot, String file, TcpScan[] result) {
        List<KernelSocket> out = new ArrayList<>();
        result[0] = Fixtures.recordedParser().scan(Fixtures.procRoot(procRoot).resolve(file),
                ProcNetTcpParser.collectInto(out));
        return out;
    }

    @Test
    void recordedIpv4TableWithListenerEstablishedAndTimeWait() {
        TcpScan[] scan = new TcpScan[1];
        List<KernelSocket> s = scan("loopback", "net/tcp", scan);
        assertTrue(scan[0].available());
        assertEquals(4, scan[0].sockets());
        assertEquals(0, scan[0].malformedLines());
        assertEquals(Fixtures.bytes("loopback", "net/tcp").length, scan[0].bytes());

        KernelSocket listener = s.get(0);
        assertSame(TcpState.LISTEN, listener.state());
        assertEquals(0L, listener.localHi());
        assertEquals(LOOPBACK_V4_LO, listener.localLo());
        assertEquals(5000, listener.localPort());
        assertEquals(KernelSocket.mappedIpv4(0), listener.remoteLo());
        assertEquals(0, listener.remotePort());
        assertEquals(10339L, listener.inode());
        assertEquals(0L, listener.uid());

        KernelSocket client = s.get(2);
        assertSame(TcpState.ESTABLISHED, client.state());
        assertEquals(40000, client.localPort());
        assertEquals(5000, client.remotePort());
        assertEquals(10342L, client.inode());

        KernelSocket timeWait = s.get(3);
        assertSame(TcpState.TIME_WAIT, timeWait.state());
        assertEquals(40003, timeWait.localPort());
        assertEquals(KernelSocket.TIMER_TIME_WAIT, timeWait.timerType());
        assertEquals(0x1756 * 10L, timeWait.timerRemainingMillis());
        assertEquals(0L, timeWait.inode());
    }

    @Test
    void recordedIpv6TableWithLoopbackWildcardAndMappedSockets() throws Exception {
        TcpScan[] scan = new TcpScan[1];
        List<KernelSocket> s = scan("loopback", "net/tcp6", scan);
        assertEquals(9, scan[0].sockets());
        assertEquals(0, scan[0].malformedLines());

        KernelSocket wildcard = s.get(0);
        assertEquals(0L, wildcard.localHi());
        assertEquals(0L, wildcard.localLo());
        assertEquals(5002, wildcard.localPort());
        assertSame(TcpState.LISTEN, wildcard.state());
        assertEquals(InetAddress.getByName("::"), wildcard.localAddress());

        KernelSocket v6Listener = s.get(1);
        assertEquals(0L, v6Listener.localHi());
        assertEquals(1L, v6Listener.localLo());
        assertEquals(InetAddress.getByName("::1"), v6Listener.localAddress());
        assertFalse(v6Listener.isIpv4());

        KernelSocket finWait2 = s.get(3);
        assertSame(TcpState.FIN_WAIT2, finWait2.state());
        assertEquals(40005, finWait2.localPort());
        KernelSocket closeWait = s.get(8);
        assertSame(TcpState.CLOSE_WAIT, closeWait.state());
        assertEquals(40005, closeWait.remotePort());

        KernelSocket mapped = s.get(5);
        assertSame(TcpState.ESTABLISHED, mapped.state());
        assertEquals(0L, mapped.localHi());
        assertEquals(LOOPBACK_V4_LO, mapped.localLo());
        assertEquals(40002, mapped.localPort());
        assertEquals(5002, mapped.remotePort());
        assertTrue(mapped.isIpv4());
        assertEquals(InetAddress.getByName("127.0.0.1"), mapped.localAddress());
        assertEquals(10346L, mapped.inode());

        KernelSocket mappedTimeWait = s.get(6);
        assertSame(TcpState.TIME_WAIT, mappedTimeWait.state());
        assertEquals(0x175B * 10L, mappedTimeWait.timerRemainingMillis());
    }

    @Test
    void aSocketFromTcpEqualsTheSameSocketSeenMappedInTcp6() {
        String tcp6 = "   5: 0000000000000000FFFF00000100007F:9C42 0000000000000000FFFF00000100007F:138A 01 "
                + "00000000:00000000 00:00000000 00000000     0        0 10346 2 0000000080608876 20 0 0 10 -1\n";
        String tcp = "   1: 0100007F:9C42 0100007F:138A 01 "
                + "00000000:00000000 00:00000000 00000000     0        0 10346 2 0000000080608876 20 0 0 10 -1\n";
        TcpScan[] scan = new TcpScan[1];
        assertEquals(Fixtures.parse(tcp6, scan), Fixtures.parse(tcp, scan));
    }

    @Test
    void everyStateCodeAndTheTimeWaitTimer() throws Exception {
        TcpScan[] scan = new TcpScan[1];
        List<KernelSocket> s = scan("states", "net/tcp", scan);
        assertEquals(14, scan[0].sockets());
        assertEquals(0, scan[0].malformedLines());
        InetAddress local = InetAddress.getByName("10.1.2.3");
        InetAddress remote = InetAddress.getByName("192.168.1.200");
        for (int i = 0; i < 12; i++) {
            KernelSocket k = s.get(i);
            assertEquals(i + 1, k.state().code());
            assertEquals(40000 + i + 1, k.localPort(), "port is plain big-endian hex");
            assertEquals(local, k.localAddress(), "address words are little-endian hex");
            assertEquals(remote, k.remoteAddress());
            assertEquals(443, k.remotePort());
        }
        assertSame(TcpState.UNKNOWN, s.get(12).state());
        assertSame(TcpState.UNKNOWN, s.get(13).state());

        KernelSocket timeWait = s.get(5);
        assertSame(TcpState.TIME_WAIT, timeWait.state());
        assertEquals(3, timeWait.timerType());
        assertEquals(60_000L, timeWait.timerRemainingMillis(), "03:00001770 is 6000 ticks of 10 ms");
        assertEquals(0L, timeWait.uid());
        assertEquals(0L, timeWait.inode());

        KernelSocket synSent = s.get(1);
        assertEquals(KernelSocket.TIMER_RETRANSMIT, synSent.timerType());
        assertEquals(200L, synSent.timerRemainingMillis());
        assertEquals(1000L, synSent.uid());
        assertEquals(20001L, synSent.inode());
    }

    @Test
    void byteOrderOfAddressWordsFollowsTheKernel() throws Exception {
        byte[] line = ("   0: 0100007F:1388 0302010A:0050 01 00000000:00000000 00:00000000 00000000"
                + "     0        0 1 1 0\n").getBytes(StandardCharsets.US_ASCII);
        List<KernelSocket> little = new ArrayList<>();
        new ProcNetTcpParser(ByteOrder.LITTLE_ENDIAN).parse(line, 0, line.length, ProcNetTcpParser.collectInto(little));
        assertEquals(InetAddress.getByName("127.0.0.1"), little.get(0).localAddress());
        assertEquals(InetAddress.getByName("10.1.2.3"), little.get(0).remoteAddress());
        assertEquals(5000, little.get(0).localPort());
        assertEquals(80, little.get(0).remotePort());

        List<KernelSocket> big = new ArrayList<>();
        new ProcNetTcpParser(ByteOrder.BIG_ENDIAN).parse(line, 0, line.length, ProcNetTcpParser.collectInto(big));
        assertEquals(InetAddress.getByName("1.0.0.127"), big.get(0).localAddress());
        assertEquals(5000, big.get(0).localPort(), "ports do not depend on byte order");
    }

    @Test
    void aCountingVisitorSeesPrimitivesOnly() {
        int[] byState = new int[TcpState.values().length];
        TcpScan scan = Fixtures.recordedParser().scan(Fixtures.procRoot("loopback").resolve("net/tcp6"),
                (lHi, lLo, lPort, rHi, rLo, rPort, state, timer, when, uid, inode) -> byState[state.ordinal()]++);
        assertEquals(9, scan.sockets());
        assertEquals(4, byState[TcpState.ESTABLISHED.ordinal()]);
        assertEquals(2, byState[TcpState.LISTEN.ordinal()]);
        assertEquals(1, byState[TcpState.TIME_WAIT.ordinal()]);
    }

    @Test
    void aCountingVisitorAllocatesNothingPerLine() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no allocation counter on this JVM");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled());

        byte[] line = Fixtures.bytes("loopback", "net/tcp6");
        int copies = 2000; // 18,000 sockets
        byte[] table = new byte[line.length * copies];
        for (int i = 0; i < copies; i++) {
            System.arraycopy(line, 0, table, i * line.length, line.length);
        }
        ProcNetTcpParser parser = Fixtures.recordedParser();
        long[] inodes = new long[1];
        ProcNetTcpParser.Visitor sum = (lHi, lLo, lPort, rHi, rLo, rPort, state, timer, when, uid, inode) -> inodes[0] += inode;
        for (int warm = 0; warm < 20; warm++) {
            parser.parse(table, 0, table.length, sum);
        }
        long thread = Thread.currentThread().getId();
        long before = counter.getThreadAllocatedBytes(thread);
        TcpScan scan = parser.parse(table, 0, table.length, sum);
        long allocated = counter.getThreadAllocatedBytes(thread) - before;
        assertEquals(9 * copies, scan.sockets());
        assertTrue(allocated < 4096, allocated + " bytes for " + scan.sockets() + " sockets");
    }
}
