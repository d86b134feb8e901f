package io.ephemera.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        Config c = Config.defaults();
        assertTrue(c.enabled());
        assertFalse(c.strict());
        assertEquals(16, c.stackDepth());
        assertEquals(1000, c.callSitesMax());
        assertEquals(100, c.jmxRows());
        assertTrue(c.libraries().contains("okhttp3."));
        assertEquals("", c.explicitOptions());
    }

    @Test
    void agentArgumentsAndSystemPropertiesAreBothRead() {
        Config c = Config.parse("stack.depth=8,jmx.rows=5", props("ephemera.callsites.max", "20"));
        assertEquals(8, c.stackDepth());
        assertEquals(5, c.jmxRows());
        assertEquals(20, c.callSitesMax());
    }

    @Test
    void agentArgumentsWinOverSystemProperties() {
        Config c = Config.parse("stack.depth=8", props("ephemera.stack.depth", "30"));
        assertEquals(8, c.stackDepth());
    }

    @Test
    void unrelatedAndTestPropertiesAreIgnored() {
        Config c = Config.parse(null, props("java.version", "17", "ephemera.test.fault", "tracker"));
        assertEquals(16, c.stackDepth());
    }

    @Test
    void unknownKeyNamesTheKeyTheValueAndTheKnownOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.parse("stak.depth=3", props()));
        assertTrue(e.getMessage().contains("stak.depth=3"), e.getMessage());
        assertTrue(e.getMessage().contains("stack.depth"), e.getMessage());
        ConfigException p = assertThrows(ConfigException.class, () -> Config.parse("", props("ephemera.bogus", "1")));
        assertTrue(p.getMessage().contains("-Dephemera.bogus"), p.getMessage());
    }

    @Test
    void aMistypedKeyGetsTheOptionItMeant() {
        for (String typo : List.of("stak.depth", "stack.depht", "stackdepth", "stack_depth", "Stack.Depth")) {
            ConfigException e = assertThrows(ConfigException.class, () -> Config.parse(typo + "=3", props()), typo);
            assertTrue(e.getMessage().contains("did you mean stack.depth? known options are"), e.getMessage());
        }
        ConfigException p = assertThrows(ConfigException.class,
                () -> Config.parse("", props("ephemera.census.intervall", "1s")));
        assertTrue(p.getMessage().contains("did you mean census.interval?"), p.getMessage());
        assertEquals(Option.REPORT_ON_EXIT, Option.closest("report.onexit"));
        assertEquals(Option.CALLSITES_MAX, Option.closest("callsite.max"));
        assertEquals(Option.ENABLED, Option.closest("enable"));
    }

    @Test
    void aKeyFarFromEveryOptionGetsNoGuess() {
        for (String key : List.of("bogus", "depth", "x", "stack", "no.such.option", "jmx", "y".repeat(100_000))) {
            assertEquals(null, Option.closest(key), key);
        }
        ConfigException e = assertThrows(ConfigException.class, () -> Config.parse("bogus=1", props()));
        assertFalse(e.getMessage().contains("did you mean"), e.getMessage());
        assertTrue(e.getMessage().contains("known options are"), e.getMessage());
    }

    @Test
    void editDistanceCountsASwapAsOneEdit() {
        assertEquals(0, Option.distance("abc", "abc", 3));
        assertEquals(1, Option.distance("abc", "acb", 3));
        assertEquals(1, Option.distance("abc", "abcd", 3));
        assertEquals(2, Option.distance("abc", "axy", 3));
        assertEquals(3, Option.distance("abc", "xyz", 3));
        assertEquals(3, Option.distance("a", "abcdefgh", 3), "capped at the limit");
    }

    @Test
    void badValuesSayWhatIsAccepted() {
        for (String bad : List.of("stack.depth=abc", "stack.depth=0", "stack.depth=-3", "stack.depth=99999999999999",
                "stack.depth=", "strict=yes", "jmx.rows=1.5", "libraries=com.acme;rm -rf")) {
            ConfigException e = assertThrows(ConfigException.class, () -> Config.parse(bad, props()), bad);
            String key = bad.substring(0, bad.indexOf('='));
            assertTrue(e.getMessage().contains(key), e.getMessage());
            assertTrue(e.getMessage().contains("expected"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), "one line");
        }
    }

    @Test
    void argumentWithoutEqualsIsRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.parse("stack.depth", props()));
        assertTrue(e.getMessage().contains("key=value"), e.getMessage());
    }

    @Test
    void strictIsReadEvenWhenTheRestIsBad() {
        assertTrue(Config.strictRequested("bogus=1,strict=true", props()));
        assertTrue(Config.strictRequested("bogus", props("ephemera.strict", "true")));
        assertFalse(Config.strictRequested("bogus=1", props()));
    }

    @Test
    void librariesReplaceOrAdd() {
        Config replaced = Config.parse("libraries=com.acme.http.:org.example.", props());
        assertEquals(List.of("com.acme.http.", "org.example."), replaced.libraries());
        Config added = Config.parse("libraries.add=com.acme.http.", props());
        assertTrue(added.libraries().contains("okhttp3."));
        assertTrue(added.libraries().contains("com.acme.http."));
    }

    @Test
    void explicitOptionsAreShownBack() {
        assertEquals("stack.depth=8", Config.parse("stack.depth=8", props()).explicitOptions());
    }

    @Test
    void durationsInTheUsualUnits() {
        assertEquals(500, Durations.parseMillis("500ms"));
        assertEquals(5_000, Durations.parseMillis("5s"));
        assertEquals(60_000, Durations.parseMillis("1m"));
        assertEquals(3_600_000, Durations.parseMillis("1h"));
        assertEquals(0, Durations.parseMillis("0"), "zero needs no unit");
        assertEquals(0, Config.parse("report.interval=0", props()).reportIntervalMillis());
        for (String bad : List.of("", "5", "00x", "s", "-5s", "5 s", "5sec", "1.5s", "99999999999999999s")) {
            assertThrows(IllegalArgumentException.class, () -> Durations.parseMillis(bad), bad);
        }
        assertEquals("500ms", Durations.format(500));
        assertEquals("5s", Durations.format(5_000));
        assertEquals("1m", Durations.format(60_000));
    }

    @Test
    void churnOptionsInTheirUnits() {
        Config c = Config.parse("churn.budget=10%,churn.rate=25/s,churn.lifetime=500ms,census.interval=1s", props());
        assertEquals(0.10, c.churnBudgetShare(), 1e-12);
        assertEquals(25.0, c.churnRate(), 1e-12);
        assertEquals(500, c.churnLifetimeMillis());
        assertEquals(1_000, c.censusIntervalMillis());
        assertEquals(0.05, Config.parse("churn.budget=5", props()).churnBudgetShare(), 1e-12);
        for (String bad : List.of("churn.budget=101%", "churn.budget=-1%", "churn.rate=NaN", "churn.rate=1e9/s",
                "churn.rate=Infinity", "census.interval=50ms", "census.interval=5", "proc.root=")) {
            assertThrows(ConfigException.class, () -> Config.parse(bad, props()), bad);
        }
        assertEquals(500, Config.parse("census.interval=500ms", props()).censusIntervalMillis());
    }

    @Test
    void everyOptionDefaultParses() {
        for (Option o : Option.values()) {
            o.parse(o.defaultValue(), "default");
        }
    }
}
