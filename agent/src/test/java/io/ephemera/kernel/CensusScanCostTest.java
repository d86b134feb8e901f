package io.ephemera.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How much a full scan is taken to cost, which sets how far the census widens its interval. */
class CensusScanCostTest {

    @Test
    void theWarmUpScansNeverWidenTheInterval() {
        long[] costs = {90_000_000, 80_000_000, 70_000_000};
        for (long n = 1; n <= Census.WARM_UP_SCANS; n++) {
            assertEquals(0, Census.scanCost(costs, n));
        }
    }

    @Test
    void afterwardsTheCheapestRecentScanIsTheCost() {
        // one slow pass (a GC, a busy machine) does not stretch the interval; three do
        assertEquals(2_000_000, Census.scanCost(new long[] {2_000_000, 60_000_000, 3_000_000}, 20));
        assertEquals(40_000_000, Census.scanCost(new long[] {40_000_000, 60_000_000, 50_000_000}, 20));
    }
}
