package io.ephemera.track;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        // 30 s after the start the minute still holds them, averaged over the minute
        assertEquals(100.0 / 59.0, w.perSecond(60, 30 * S, 0), 0.01);
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
    void earlyInTheProcessABurstIsStillAveragedOverTheWholeWindow() {
        // 20 events in second 1, read at 2 s: not 10/s (20 over the 2 s since the start)
        RateWindow w = new RateWindow();
        for (int i = 0; i < 20; i++) {
            w.record(1);
        }
        assertEquals(20 / 9.0, w.perSecond(10, 2 * S, 0), 0.01);
    }

    @Test
    void aBurstReadsTheSameWhetherItRanFastOrSlowOrEarlyOrLate() {
        // the same 20 events, in 10 ms or spread over 9 s, right after the start or an hour later:
        // read at any moment while the window holds them all, never more than 20 over 9 s
        long[] starts = {0, S / 10, 3_600 * S};
        long[] spreads = {10_000_000L, S, 9 * S};
        for (long start : starts) {
            for (long spread : spreads) {
                RateWindow w = new RateWindow();
                long last = 0;
                for (int i = 0; i < 20; i++) {
                    last = start + spread * i / 19;
                    w.record(last / S);
                }
                for (long now = last; now < last + S; now += S / 10) {
                    double rate = w.perSecond(10, now, 0);
                    assertTrue(rate <= 20 / 9.0 + 1e-9, start + " " + spread + " " + now + ": " + rate);
                }
            }
        }
    }

    @Test
    void slotsWrapAroundAfterAMinute() {
        RateWindow w = new RateWindow();
        w.record(3);
        w.record(63); // same slot, a minute later: the old count is gone
        assertEquals(1.0 / 9.5, w.perSecond(10, 63 * S + S / 2, 0), 0.01);
    }

    @Test
    void aForecastReadsTheRateOverTheTimeObserved() {
        // a steady 20/s from 0.5 s after the start, read 4 s later: 80 events over 4 s, not over the window
        RateWindow w = new RateWindow();
        long first = S / 2;
        for (int i = 0; i < 80; i++) {
            w.record((first + i * S / 20) / S);
        }
        long now = first + 4 * S;
        assertEquals(20.0, w.perSecondObserved(10, now, 0, first), 0.01);
        assertEquals(80 / 9.5, w.perSecond(10, now, 0), 0.01, "the window's rate reads 40% of it");
    }

    @Test
    void onceTheWindowWasObservedWholeTheForecastsRateIsTheWindows() {
        RateWindow w = new RateWindow();
        for (long sec = 0; sec < 30; sec++) {
            for (int i = 0; i < 20; i++) {
                w.record(sec);
            }
        }
        long now = 29 * S + S / 2;
        assertEquals(w.perSecond(10, now, 0), w.perSecondObserved(10, now, 0, 0), 1e-9);
        // a first instant reads over a second at least, never over a few microseconds
        RateWindow burst = new RateWindow();
        for (int i = 0; i < 30; i++) {
            burst.record(5);
        }
        assertEquals(30.0, burst.perSecondObserved(10, 5 * S + 1_000, 0, 5 * S), 1e-9);
    }
}
