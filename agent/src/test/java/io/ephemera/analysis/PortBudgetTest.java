package io.ephemera.analysis;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortBudgetTest {

    @Test
    void defaultRangeIs28232Ports() {
        assertEquals(28_232, PortBudget.usable(32768, 60999, 0, 0));
        assertEquals(28_222, PortBudget.usable(32768, 60999, 8, 2));
        assertEquals(0, PortBudget.usable(40000, 40001, 5, 5));
    }

    @Test
    void theReadmeExample() {
        // 412 connects/s to one backend, each port held 60 s after this side closes it
        PortBudget b = new PortBudget(28_232, 24_712, 60, 412, 0);
        assertEquals(12.47, b.headroomPercent(), 0.01);
        assertEquals(24_720, b.projectedOccupancy(), 0.001);
        assertFalse(b.onCourseToExhaustion(), "24,720 of 28,232: close, but under");
        PortBudget faster = new PortBudget(28_232, 24_712, 60, 480, 0);
        assertTrue(faster.onCourseToExhaustion());
        assertEquals(3_520 / 480.0, faster.secondsToExhaustion(), 1e-9);
    }

    @Test
    void noRateNoForecast() {
        PortBudget idle = new PortBudget(100, 100, 60, 0, 0);
        assertEquals(-1, idle.secondsToExhaustion());
        assertEquals(0.0, idle.headroomPercent());
        assertEquals(0, idle.free());
    }

    @Test
    void holdTimeFollowsTwReuseAndTimestamps() throws UnknownHostException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetAddress remote = InetAddress.getByName("10.0.0.5");
        assertEquals(60.0, HoldTime.seconds(remote, 0, 1, 1000));
        assertEquals(60.0, HoldTime.seconds(remote, 2, 1, 1000), "2 is loopback only");
        assertEquals(1.0, HoldTime.seconds(loopback, 2, 1, HoldTime.NO_DELAY_SYSCTL),
                "one second before tcp_tw_reuse_delay existed");
        assertEquals(0.1, HoldTime.seconds(remote, 1, 1, 100));
        assertEquals(60.0, HoldTime.seconds(remote, 1, 0, 100), "no timestamps, no reuse");
    }

    @Test
    void anUnreadSysctlMakesTheHoldTimeUnknownWhereItMatters() throws UnknownHostException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetAddress remote = InetAddress.getByName("10.0.0.5");
        int unread = HoldTime.UNREAD;
        assertEquals(HoldTime.UNKNOWN, HoldTime.seconds(loopback, unread, unread, unread), "never the kernel's defaults");
        assertEquals(HoldTime.UNKNOWN, HoldTime.seconds(loopback, unread, 1, 1000));
        assertEquals(HoldTime.UNKNOWN, HoldTime.seconds(loopback, 2, unread, 1000));
        assertEquals(HoldTime.UNKNOWN, HoldTime.seconds(loopback, 2, 1, unread), "reuse applies, its delay is unknown");
        assertEquals(HoldTime.Reuse.UNKNOWN, HoldTime.reuse(remote, unread, 1));
        // known without the unread one: reuse off, timestamps off, a remote destination under 2
        assertEquals(60.0, HoldTime.seconds(loopback, 0, unread, unread));
        assertEquals(60.0, HoldTime.seconds(loopback, unread, 0, unread));
        assertEquals(60.0, HoldTime.seconds(remote, 2, unread, unread));
        assertEquals(HoldTime.UNKNOWN, HoldTime.seconds(remote, 1, 1, unread),
                "reuse applies toward any destination with 1: the delay is needed");
    }

    @Test
    void anUnknownBudgetGivesNoHeadroomAndNoForecast() {
        PortBudget noBudget = new PortBudget(PortBudget.UNKNOWN, 10, 60, 500, 0);
        assertFalse(noBudget.budgetKnown());
        assertTrue(Double.isNaN(noBudget.headroomPercent()), "not 0%");
        assertEquals(PortBudget.UNKNOWN, noBudget.free());
        assertFalse(noBudget.onCourseToExhaustion());
        assertTrue(Double.isNaN(noBudget.secondsToExhaustion()), "not -1: that would say 'not on course'");

        PortBudget noHold = new PortBudget(100, 10, HoldTime.UNKNOWN, 500, 0);
        assertEquals(90.0, noHold.headroomPercent(), 1e-9, "headroom needs no hold time");
        assertTrue(Double.isNaN(noHold.projectedOccupancy()));
        assertFalse(noHold.onCourseToExhaustion());
        assertTrue(Double.isNaN(noHold.secondsToExhaustion()));

        PortBudget noInUse = new PortBudget(100, PortBudget.UNKNOWN, 60, 0, 0);
        assertTrue(Double.isNaN(noInUse.headroomPercent()));

        ChurnVerdict v = new ChurnVerdict(0.05, 1_000, 1_000);
        assertTrue(v.churning(30, 60, 100, 900, 12), "known: 1,800 ports held of 100");
        assertFalse(v.churning(30, 60, PortBudget.UNKNOWN, 900, 12), "the budget test needs the budget");
        assertFalse(v.churning(30, HoldTime.UNKNOWN, 100, 900, 12), "... and the hold time");
        assertTrue(new ChurnVerdict(0.05, 10, 1_000).churning(30, HoldTime.UNKNOWN, PortBudget.UNKNOWN, 900, 12),
                "the lifetime test needs neither");
    }

    @Test
    void churnVerdictFlagsPerRequestConnectionsAndNeverAPool() {
        ChurnVerdict v = new ChurnVerdict(0.05, 10, 1_000);
        // a new connection per request at 30/s toward a remote backend: 1,800 ports held of 28,232
        assertTrue(v.churning(30, 60, 28_232, 900, 12));
        // the same on loopback, where tw_reuse hides it from the budget: the lifetime says it
        assertTrue(v.churning(30, 1, 28_232, 900, 12));
        // a pool: a handful of connects at startup, none closed
        assertFalse(v.churning(0.8, 60, 28_232, 0, 0));
        // a pool at any request rate opens nothing new
        assertFalse(v.churning(0, 60, 28_232, 8, 600_000));
        // long-lived connections reopened slowly
        assertFalse(v.churning(2, 1, 28_232, 100, 30_000));
    }

    @Test
    void theForecastAddsThePortsTakenSinceTheCensusAndReadsItsOwnRate() {
        // 200 ports, 60 s hold, the census saw 60 in use; 20 connects since; 20/s over the 4 s observed
        // (8/s over the 10-second window): 120 free at 20/s
        PortBudget b = new PortBudget(200, 60, 60, 8, 0, 20, 20);
        assertEquals(6.0, b.secondsToExhaustion(), 1e-9);
        assertEquals(70.0, b.headroomPercent(), 1e-9, "headroom stays the census's figure");
        assertEquals(8.0, b.ratePerSecond());
        // the five-argument budget reads the window's rate and nothing since the census
        assertEquals(140 / 8.0, new PortBudget(200, 60, 60, 8, 0).secondsToExhaustion(), 1e-9);
        // more taken since than was free: none left
        assertEquals(0.0, new PortBudget(200, 190, 60, 8, 0, 30, 20).secondsToExhaustion());
    }
}
