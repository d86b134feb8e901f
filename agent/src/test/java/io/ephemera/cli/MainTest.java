package io.ephemera.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dispatch, help and the shape of errors; the commands themselves run against real JVMs in CliIT. */
class MainTest {

    /** Exit code, stdout, stderr. */
    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertOneErrorLine(Run r, int exit, String contains) {
        assertEquals(exit, r.exit(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertTrue(r.err().startsWith("ephemera: ") && r.err().indexOf('\n') == r.err().length() - 1,
                "one line on stderr: " + r.err());
        assertTrue(r.err().contains(contains), r.err());
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        Run r = run("--help");
        assertEquals(0, r.exit());
        assertEquals("", r.err());
        for (String c : List.of("attach <pid>", "report <pid>", "doctor [--json]", "list")) {
            assertTrue(r.out().contains(c), r.out());
        }
        assertTrue(r.out().contains("exit codes: 0 done, 1 the command failed, 2 bad usage, 3 already loaded"), r.out());
        assertEquals(r.out(), run("-h").out());
    }

    @Test
    void eachCommandHasItsOwnHelp() {
        for (String c : List.of("attach", "report", "doctor", "list")) {
            Run r = run(c, "--help");
            assertEquals(0, r.exit(), c);
            assertTrue(r.out().startsWith("usage: java -jar ephemera-agent.jar " + c), r.out());
            assertTrue(r.out().contains("exit codes"), r.out());
        }
        assertEquals(run("attach", "--help").out(), run("attach", "123", "-h").out(), "help wins over the rest");
    }

    @Test
    void noCommandOrAnUnknownOneIsBadUsage() {
        assertOneErrorLine(run(), Exit.USAGE, "no command");
        assertOneErrorLine(run("atach", "1"), Exit.USAGE, "unknown command 'atach'");
    }

    @Test
    void attachChecksItsArgumentsAndOptionsBeforeTouchingAnyProcess() {
        assertOneErrorLine(run("attach"), Exit.USAGE, "attach: missing the process id");
        assertOneErrorLine(run("attach", "pid"), Exit.USAGE, "'pid' is not a process id");
        assertOneErrorLine(run("attach", "1", "stack.depth=0"), Exit.USAGE, "stack.depth");
        assertOneErrorLine(run("attach", "1", "nosuch=1"), Exit.USAGE, "unknown option nosuch=1");
        assertOneErrorLine(run("attach", "1", "--force"), Exit.USAGE, "unknown option '--force'");
    }

    @Test
    void attachOutsideTheJarSaysHowToRunIt() {
        // the unit tests run from target/classes, not from the jar
        assertOneErrorLine(run("attach", "1", "stack.depth=4"), Exit.FAILED, "java -jar ephemera-agent.jar");
    }

    @Test
    void reportAndListTakeWhatTheyTakeAndNothingElse() {
        assertOneErrorLine(run("report"), Exit.USAGE, "report: missing the process id");
        assertOneErrorLine(run("report", "1", "2"), Exit.USAGE, "unexpected argument '2'");
        assertOneErrorLine(run("report", "1", "--xml"), Exit.USAGE, "unknown option '--xml'");
        assertOneErrorLine(run("list", "all"), Exit.USAGE, "list: unexpected argument 'all'");
    }

    @Test
    void doctorChecksItsOptions() {
        assertOneErrorLine(run("doctor", "--top", "0"), Exit.USAGE, "--top 0");
        assertOneErrorLine(run("doctor", "--proc", "/no/such/dir"), Exit.USAGE, "not a directory");
        assertOneErrorLine(run("doctor", "now"), Exit.USAGE, "unexpected argument 'now'");
    }

    @Test
    void exitCodesAreTheDocumentedOnes() {
        assertEquals(0, Exit.OK);
        assertEquals(1, Exit.FAILED);
        assertEquals(2, Exit.USAGE);
        assertEquals(3, Exit.ALREADY_LOADED);
    }
}
