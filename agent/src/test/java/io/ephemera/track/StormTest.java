package io.ephemera.track;

import io.ephemera.config.Config;
import io.ephemera.hook.Hook;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A storm beyond every cap, driven into the tracker as the hook drives it: ever new call sites
 * (recursion depths), ever new destinations and more closes than are remembered. The tracker's
 * memory stays flat, every drop is counted, and an event costs no more at the end than at the start.
 */
class StormTest {

    private static final int SITES_MAX = 20;
    private static final int DESTINATIONS_MAX = 50;
    private static final int CLOSES_MAX = 500;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final Tracker tracker = new Tracker(Config.parse("callsites.max=" + SITES_MAX + ",destinations.max="
            + DESTINATIONS_MAX + ",closes.max=" + CLOSES_MAX + ",stack.depth=64,jfr.enabled=false", new Properties()),
            Tracker.class.getProtectionDomain().getCodeSource());
    private int next;

    /** One connect and close to a destination never seen before, from a call site {@code depth} frames deep. */
    private void connectAndClose(int depth) throws UnknownHostException {
        if (depth > 0) {
            connectAndClose(depth - 1);
            return;
        }
        int n = next++;
        InetAddress to = InetAddress.getByAddress(new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
        Socket s = new Socket();
        tracker.connected(s, Hook.API_SOCKET, new InetSocketAddress(to, 443), false);
        tracker.closed(s, Hook.API_SOCKET, null);
    }

    /**
     * Runs {@code events} connects, each from a new depth, and returns this thread's CPU time for
     * them: unlike the wall clock, it does not count what other processes on the machine take.
     */
    private long storm(int events) throws UnknownHostException {
        long t0 = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < events; i++) {
            connectAndClose(next % 60);
        }
        return CPU.getCurrentThreadCpuTime() - t0;
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void beyondEveryCapMemoryIsFlatDropsAreCountedAndThroughputHolds() throws UnknownHostException {
        storm(10_000); // warm up: every cap reached, the code compiled
        long heap0 = heapAfterGc();
        long early = storm(10_000);
        storm(30_000);
        long late = storm(10_000);
        long heap1 = heapAfterGc();

        assertEquals(60_000, tracker.connectCount());
        assertEquals(60_000, tracker.closeCount());
        assertEquals(0, tracker.openConnections());
        assertTrue(tracker.callSites().size() <= SITES_MAX + 1, "sites " + tracker.callSites().size());
        assertTrue(tracker.destinations().size() <= DESTINATIONS_MAX + 1, "destinations " + tracker.destinations().size());
        assertTrue(tracker.recentCloses().size() <= CLOSES_MAX, "closes " + tracker.recentCloses().size());
        long otherSite = tracker.callSites().stream().filter(s -> s.key().equals(CallSites.OTHER_KEY))
                .mapToLong(s -> s.stats().connects()).sum();
        long otherDestination = tracker.destinations().stream().filter(d -> d.key().equals(Destinations.OTHER_KEY))
                .mapToLong(d -> d.stats().connects()).sum();
        assertTrue(otherSite > 55_000 && otherDestination > 55_000, otherSite + " / " + otherDestination);
        assertEquals(60_000 - CLOSES_MAX, tracker.recentCloseDropCount(), "every forgotten close is counted");
        assertTrue(heap1 - heap0 < 2 << 20, "50,000 new sites and destinations grew the heap by " + (heap1 - heap0));
        assertTrue(late < 3 * early, "the last 10,000 took " + late / 1_000_000 + " ms of CPU, the first " + early / 1_000_000);
    }
}
