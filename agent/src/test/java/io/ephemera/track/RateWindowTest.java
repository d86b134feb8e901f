package io.ephemera.track;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RateWindowTest {

    private static final long S = 1_000_000_000L;

    @Test
    void steadyRateReadsSteady() {
        RateWindow w = new RateWindow();
        for (long sec = 0; sec < 120; sec++) {
            for (int i = 0; i < (sec == 119 ? 25 : 50); i++) {
                w.record(sec);
            }
        }
        // at 119.5 s: the last 10 s held 9 full seconds plus half of the current one
        assertEquals(50.0, w.perSecond(10, 119 * S + S / 2, 0), 0.01);
        assertEquals(50.0, w.perSecond(60, 119 * S + S / 2, 0), 1.0);
    }

    @Test
    void oldSecondsDropOut() {
        RateWindow w = new RateWindow();
        for (int i = 0; i < 100; i++) {
            w.record(5);
        }
        assertEquals(0.0, w.perSecond(10, 30 * S, 0));
        assertEquals(100.0 / 30.0, w.perSecond(60, 30 * S, 0), 0.01);
    }

    @Test
    void aBurstIsCaughtByTheShortWindow() {
        RateWindow w = new RateWindow();
        for (int i = 0; i < 1000; i++) {
            w.record(100);
        }
        double tenSeconds = w.perSecond(10, 100 * S + S / 2, 0);
        double minute = w.perSecond(60, 100 * S + S / 2, 0);
        assertEquals(1000 / 9.5, tenSeconds, 1.0);
        assertEquals(1000 / 59.5, minute, 1.0);
    }

    @Test
    void earlyInTheProcessTheElapsedTimeIsTheDivisor() {
        RateWindow w = new RateWindow();
        for (int i = 0; i < 20; i++) {
            w.record(1);
        }
        assertEquals(10.0, w.perSecond(10, 2 * S, 0), 0.01);
    }

    @Test
    void slotsWrapAroundAfterAMinute() {
        RateWindow w = new RateWindow();
        w.record(3);
        w.record(63); // same slot, a minute later: the old count is gone
        assertEquals(1.0 / 9.5, w.perSecond(10, 63 * S + S / 2, 0), 0.01);
    }
}
