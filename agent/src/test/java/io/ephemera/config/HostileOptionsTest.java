package io.ephemera.config;

import io.ephemera.agent.Agent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every option with empty, negative, huge, non-numeric and unknown values, as agent arguments and
 * as system properties: each is either a valid value or one clear line naming the option, what was
 * given and what is accepted; and the agent's entry point turns itself off with that one line.
 */
class HostileOptionsTest {

    private static final List<String> HOSTILE = List.of("", " ", "-1", "-0", "0", "-9223372036854775809",
            "99999999999999999999", "2147483648", "1e400", "NaN", "Infinity", "0x10", "abc", "5 s", "100%%",
            "\n", "\u0000", "1\nephemera: error: a forged second line", "x".repeat(100_000), "\u00e9\u4e2d");

    private static void assertOneClearLine(String message, String key) {
        String start = message.substring(0, Math.min(300, message.length())); // a failure must not print 100 kB
        assertTrue(message.lines().count() == 1 && !message.contains("\r"), "one line: " + start);
        assertTrue(message.contains(key), start);
        assertTrue(message.length() < 2_000, "a bounded line, not " + message.length() + " characters: " + start);
    }

    @Test
    void everyOptionTakesAHostileValueOrRejectsItInOneLine() {
        int rejected = 0;
        for (Option o : Option.values()) {
            for (String value : HOSTILE) {
                Properties p = new Properties();
                p.setProperty(Config.PROPERTY_PREFIX + o.key(), value);
                try {
                    Config c = Config.parse(null, p);
                    assertTrue(o.kind() == Option.Kind.STRING || o.kind() == Option.Kind.PATH
                            || o.kind() == Option.Kind.LIST || o.kind() == Option.Kind.PERCENT
                            || value.trim().matches("[0-9]+"), o.key() + "=" + value + " accepted as " + c.get(o));
                } catch (ConfigException e) {
                    assertOneClearLine(e.getMessage(), o.key());
                    assertTrue(e.getMessage().contains("expected"), e.getMessage());
                    rejected++;
                }
                if (value.indexOf(',') < 0) {
                    try {
                        Config.parse(o.key() + "=" + value, new Properties());
                    } catch (ConfigException e) {
                        assertOneClearLine(e.getMessage(), o.key());
                    }
                }
            }
        }
        assertTrue(rejected > Option.values().length * 5, "most hostile values are rejected: " + rejected);
    }

    @Test
    void unknownKeysWithHostileValuesAreOneLineToo() {
        for (String value : HOSTILE) {
            Properties p = new Properties();
            p.setProperty("ephemera.no.such.option", value);
            try {
                Config.parse(null, p);
                fail("accepted an unknown option");
            } catch (ConfigException e) {
                assertOneClearLine(e.getMessage(), "no.such.option");
                assertTrue(e.getMessage().contains("known options are"), e.getMessage());
            }
        }
        try {
            Config.parse("x".repeat(100_000) + "\n", new Properties());
            fail("accepted a key without a value");
        } catch (ConfigException e) {
            assertOneClearLine(e.getMessage(), "key=value");
        }
    }

    @Test
    void aValueIsShownBoundedAndOnOneLine() {
        assertEquals("abc", Option.shown("abc"));
        assertEquals("1\\u000aforged", Option.shown("1\nforged"));
        String huge = Option.shown("y".repeat(10_000));
        assertTrue(huge.startsWith("y".repeat(Option.SHOWN_MAX) + "... (10000 characters)"), huge);
        assertTrue(Option.shown("\n".repeat(50)).endsWith("... (50 characters)"));
    }

    @Test
    void theAgentTurnsItselfOffWithOneLineAndNeverThrows() {
        PrintStream saved = System.err;
        try {
            for (String args : List.of("stack.depth=-1", "jmx.rows=99999999999999999999", "census.interval=abc",
                    "churn.budget=", "bogus=1", "report.interval=" + "9".repeat(100_000), "stack.depth")) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
                Agent.premain(args, null); // never reaches the instrumentation: the options are checked first
                String err = bytes.toString(StandardCharsets.UTF_8);
                String start = err.substring(0, Math.min(300, err.length()));
                assertEquals(1, err.lines().count(), start);
                assertTrue(err.startsWith("ephemera: ERROR: the agent is OFF: ")
                        && err.strip().endsWith("; the application runs without it"), start);
                assertTrue(err.length() < 2_000, start);
            }
        } finally {
            System.setErr(saved);
        }
    }
}
