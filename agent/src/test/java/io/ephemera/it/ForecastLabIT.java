package io.ephemera.it;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forecast lab: in a fresh network namespace with a narrow {@code ip_local_port_range} and
 * {@code tcp_tw_reuse=0} (every port this side closes is held 60 s), a client takes new
 * connections toward one destination until {@code connect()} fails. Before that, at a planned
 * moment, it reads the agent's {@code secondsToExhaustion}; then it times the real first
 * EADDRNOTAVAIL. The forecast must be within 15% of the time that really remained.
 *
 * <p>Nothing depends on the machine's speed: the lab measures the real exhaustion itself, so a
 * slow machine (a connect that ran late, a census pass that came late) shifts both. The only
 * extra tolerance is the burst's: ports run out only during a burst, so the real moment is
 * known to within half a burst's interval of the forecast's continuous rate.
 */
class ForecastLabIT {

    private static final String LAB = "io.ephemera.it.app.ForecastLab";
    private static final double WITHIN = 0.15;

    /** Forecast read at, forecast in seconds, exhausted at (milliseconds since the first connect). */
    private record Run(long readAtMillis, double forecastSeconds, long exhaustedAtMillis, String out) {

        double remainingSeconds() {
            return (exhaustedAtMillis - readAtMillis) / 1000.0;
        }

        double error() {
            return Math.abs(forecastSeconds - remainingSeconds()) / remainingSeconds();
        }
    }

    private static Run lab(String range, String agentOptions, String... args) {
        NetworkNamespace.assumeAvailable();
        ForkedJvm.Result r = ForkedJvm.withAgent(agentOptions)
                .under(NetworkNamespace.with("net.ipv4.ip_local_port_range=" + range, "net.ipv4.tcp_tw_reuse=0",
                        "net.ipv4.tcp_timestamps=1"))
                .run(180, LAB, args);
        assertEquals(0, r.exit, r.toString());
        long readAt = -1;
        double forecast = Double.NaN;
        long exhausted = -1;
        for (String line : r.out.split("\n")) {
            String[] f = line.split("\t");
            if (f[0].equals("forecast")) {
                readAt = Long.parseLong(f[1]);
                forecast = Double.parseDouble(f[2]);
            } else if (f[0].equals("exhausted")) {
                exhausted = Long.parseLong(f[1]);
            }
        }
        assertTrue(readAt >= 0 && exhausted > readAt, "a forecast read, then connect() failed:\n" + r.out + r.err);
        assertTrue(r.out.contains("Cannot assign requested address"), r.out);
        Run run = new Run(readAt, forecast, exhausted, r.out);
        // the measured figures, for whoever reads the test's output
        System.out.printf("forecast lab %s: read at %d ms, forecast %.2f s, real %.2f s (error %.1f%%)%n",
                args[0], readAt, forecast, run.remainingSeconds(), 100 * run.error());
        return run;
    }

    /**
     * 20 connects a second into 200 ports (199 usable: the server listens on one of them): the
     * range runs out about 10 s in; read 4 s in, the forecast must say about 6 s. The census runs
     * at its default interval, 5 s: the ports taken since its last pass are the agent's to add.
     */
    @Test
    void aSteadyRampIsForecastWithinFifteenPercent() {
        Run run = lab("40000 40199", "census.interval=5s", "steady", "20", "80");
        assertTrue(run.forecastSeconds() > 0, "a finite forecast before the range ran out:\n" + run.out());
        assertTrue(run.error() <= WITHIN, "forecast " + run.forecastSeconds() + " s, real " + run.remainingSeconds()
                + " s:\n" + run.out());
    }

    /**
     * Bursts of 40 connects every 500 ms into 400 ports (399 usable): the range runs out during
     * the tenth burst, about 4.5 s in; read half way after the fifth, the forecast must say
     * about 2.25 s.
     */
    @Test
    void aBurstIsForecastWithinFifteenPercent() {
        long every = 500;
        Run run = lab("40000 40399", "census.interval=1s", "burst", "40", Long.toString(every), "5");
        assertTrue(run.forecastSeconds() > 0, "a finite forecast before the range ran out:\n" + run.out());
        double tolerance = WITHIN * run.remainingSeconds() + every / 2 / 1000.0;
        assertTrue(Math.abs(run.forecastSeconds() - run.remainingSeconds()) <= tolerance,
                "forecast " + run.forecastSeconds() + " s, real " + run.remainingSeconds() + " s:\n" + run.out());
    }
}
