package io.ephemera.report;

import io.ephemera.analysis.HoldTime;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tcp_tw_reuse advice for each destination and setting: loopback or remote, reuse 0, 1, 2, timestamps on or off. */
class TwReuseAdviceTest {

    private static final int DELAY = 1_000;
    private static final InetAddress LOOPBACK = address("127.0.0.1");
    private static final InetAddress REMOTE = address("10.0.0.7");

    private static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static void check(InetAddress dest, int twReuse, int timestamps, HoldTime.ReuseChange change,
                              String... says) {
        assertEquals(change, HoldTime.reuseChange(dest, twReuse, timestamps));
        String advice = Advice.twReuse(dest, twReuse, timestamps, DELAY);
        assertTrue(advice.startsWith("net.ipv4.tcp_tw_reuse is " + twReuse), advice);
        for (String s : says) {
            assertTrue(advice.contains(s), "'" + s + "' in: " + advice);
        }
        if (change == HoldTime.ReuseChange.ALREADY_APPLIES) {
            assertFalse(advice.contains("would let"), advice);
        }
    }

    @Test
    void loopback() {
        check(LOOPBACK, 0, 1, HoldTime.ReuseChange.WOULD_APPLY,
                "(2, the default, or 1 would let connects to this loopback destination take over a TIME_WAIT port after 1s instead of holding it 60s)");
        check(LOOPBACK, 1, 1, HoldTime.ReuseChange.ALREADY_APPLIES, "already lets connects to this loopback destination",
                "after 1s", "no value of it shortens the hold further");
        check(LOOPBACK, 2, 1, HoldTime.ReuseChange.ALREADY_APPLIES, "already lets connects to this loopback destination",
                "no value of it shortens the hold further");
        check(LOOPBACK, 0, 0, HoldTime.ReuseChange.NEEDS_TIMESTAMPS,
                "tcp_timestamps is 0, which disables it whatever its value (timestamps on, with tcp_tw_reuse 2 or 1, would let");
        check(LOOPBACK, 1, 0, HoldTime.ReuseChange.NEEDS_TIMESTAMPS, "(timestamps on, would let connects to this loopback");
        check(LOOPBACK, 2, 0, HoldTime.ReuseChange.NEEDS_TIMESTAMPS, "(timestamps on, would let connects to this loopback");
    }

    @Test
    void remote() {
        check(REMOTE, 0, 1, HoldTime.ReuseChange.WOULD_APPLY,
                "(1 would let connects to this destination take over a TIME_WAIT port after 1s instead of holding it 60s; 2 covers loopback only)");
        check(REMOTE, 1, 1, HoldTime.ReuseChange.ALREADY_APPLIES, "already lets connects to this destination take over");
        check(REMOTE, 2, 1, HoldTime.ReuseChange.WOULD_APPLY, "(1 would let connects to this destination", "2 covers loopback only");
        check(REMOTE, 0, 0, HoldTime.ReuseChange.NEEDS_TIMESTAMPS, "(timestamps on, with tcp_tw_reuse 1, would let");
        check(REMOTE, 1, 0, HoldTime.ReuseChange.NEEDS_TIMESTAMPS, "(timestamps on, would let connects to this destination");
        check(REMOTE, 2, 0, HoldTime.ReuseChange.NEEDS_TIMESTAMPS, "(timestamps on, with tcp_tw_reuse 1, would let");
    }

    @Test
    void whatWasNotReadIsNotGuessed() {
        assertEquals("net.ipv4.tcp_tw_reuse could not be read", Advice.twReuse(LOOPBACK, -1, 1, DELAY));
        assertEquals(HoldTime.ReuseChange.UNKNOWN, HoldTime.reuseChange(REMOTE, 0, -1));
        assertTrue(Advice.twReuse(REMOTE, 0, -1, DELAY).contains("unknown: net.ipv4.tcp_timestamps could not be read"));
        assertTrue(Advice.twReuse(LOOPBACK, 0, 1, -1).contains("after tcp_tw_reuse_delay"));
        // reuse 2 toward a remote destination does not apply whatever the timestamps: still, 1 would need them
        assertEquals(HoldTime.ReuseChange.UNKNOWN, HoldTime.reuseChange(REMOTE, 2, -1));
    }

    @Test
    void theDoctorsWhatIfAgrees() {
        // the what-if's tcp_tw_reuse=1 scenario shortens the hold exactly where the advice says a change would
        for (InetAddress dest : new InetAddress[] {LOOPBACK, REMOTE}) {
            for (int reuse = 0; reuse <= 2; reuse++) {
                for (int ts = 0; ts <= 1; ts++) {
                    double now = HoldTime.seconds(dest, reuse, ts, DELAY);
                    double withOne = HoldTime.seconds(dest, 1, ts, DELAY);
                    boolean helps = withOne < now;
                    assertEquals(helps, HoldTime.reuseChange(dest, reuse, ts) == HoldTime.ReuseChange.WOULD_APPLY,
                            dest + " reuse=" + reuse + " ts=" + ts);
                }
            }
        }
    }
}
