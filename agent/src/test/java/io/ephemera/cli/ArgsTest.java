package io.ephemera.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgsTest {

    private static Args doctor(String... args) {
        return Args.parse("doctor", List.of(args), Set.of("--json"), Set.of("--proc", "--top"));
    }

    private static Failure usage(Runnable r) {
        Failure f = assertThrows(Failure.class, r::run);
        assertEquals(Exit.USAGE, f.exit(), f.getMessage());
        return f;
    }

    @Test
    void flagsAndValuesInEitherSpelling() {
        Args a = doctor("--json", "--proc", "/tmp/p", "--top=3");
        assertTrue(a.flag("--json"));
        assertEquals("/tmp/p", a.value("--proc", "/proc"));
        assertEquals(3, a.intValue("--top", 10, 1, 1000));
        assertEquals(List.of(), a.positional());

        Args b = doctor("--proc=/x");
        assertFalse(b.flag("--json"));
        assertEquals("/x", b.value("--proc", "/proc"));
        assertEquals(10, b.intValue("--top", 10, 1, 1000), "the default when absent");
    }

    @Test
    void anUnknownOptionIsNamedWithTheKnownOnes() {
        Failure f = usage(() -> doctor("--jsn"));
        assertEquals("doctor: unknown option '--jsn' (known: --json, --proc, --top); see doctor --help", f.getMessage());
        usage(() -> doctor("--json=yes")); // a flag takes no value
        usage(() -> doctor("-x"));
        Failure none = usage(() -> Args.parse("list", List.of("--all"), Set.of(), Set.of()));
        assertTrue(none.getMessage().contains("(it takes none)"), none.getMessage());
    }

    @Test
    void aValueOptionNeedsItsValue() {
        Failure f = usage(() -> doctor("--proc"));
        assertEquals("doctor: --proc needs a value", f.getMessage());
    }

    @Test
    void numbersOutOfBoundsAreUsageErrors() {
        Failure f = usage(() -> doctor("--top", "0").intValue("--top", 10, 1, 1000));
        assertEquals("doctor: --top 0: expected a number from 1 to 1000", f.getMessage());
        usage(() -> doctor("--top", "1001").intValue("--top", 10, 1, 1000));
        usage(() -> doctor("--top", "ten").intValue("--top", 10, 1, 1000));
    }

    @Test
    void pidsAreDecimalNumbersInLinuxRange() {
        assertEquals(1, Args.pid("attach", "1"));
        assertEquals(4_194_304, Args.pid("attach", "4194304"));
        for (String bad : List.of("0", "-1", "abc", "12a", "", " 12", "4194305", "99999999999", "1.5", "0x10")) {
            Failure f = usage(() -> Args.pid("attach", bad));
            assertTrue(f.getMessage().startsWith("attach: '" + bad + "' is not a process id"), f.getMessage());
        }
    }

    @Test
    void aNegativeNumberIsAPositionalThatFailsAsAPid() {
        Args a = Args.parse("attach", List.of("-5"), Set.of(), Set.of());
        assertEquals(List.of("-5"), a.positional());
        usage(() -> a.pid(0));
    }

    @Test
    void doubleDashEndsTheOptions() {
        Args a = doctor("--", "--json");
        assertFalse(a.flag("--json"));
        assertEquals(List.of("--json"), a.positional());
    }

    @Test
    void positionalCountsAreChecked() {
        Failure missing = usage(() -> Args.parse("report", List.of(), Set.of("--json"), Set.of())
                .expect(1, 1, "the process id"));
        assertEquals("report: missing the process id; usage: report <pid> [--json]", missing.getMessage());
        Failure extra = usage(() -> Args.parse("report", List.of("1", "2"), Set.of("--json"), Set.of())
                .expect(1, 1, "the process id"));
        assertEquals("report: unexpected argument '2'; usage: report <pid> [--json]", extra.getMessage());
    }
}
