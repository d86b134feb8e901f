package io.ephemera.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A request from the command line, and where the agent agrees to write its answer. */
class AgentCommandTest {

    @TempDir
    Path dir;

    private static final AgentCommand.ReportSource REPORTS = new AgentCommand.ReportSource() {
        @Override
        public String text() {
            return "report=ephemera connects=3\n";
        }

        @Override
        public String json() {
            return "{\"header\":{}}";
        }
    };

    private Path replyFile(String permissions) throws IOException {
        Path f = dir.resolve("reply");
        Files.deleteIfExists(f);
        Files.createFile(f);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(permissions));
        return f;
    }

    @Test
    void aCommandStartsWithAnAtSignAndOptionsNever() {
        assertTrue(AgentCommand.isCommand(AgentCommand.request("report", true, "/tmp/x")));
        assertFalse(AgentCommand.isCommand("stack.depth=4"));
        assertFalse(AgentCommand.isCommand(null));
        assertEquals("@report,format=json,reply=/tmp/a,b", AgentCommand.request("report", true, "/tmp/a,b"));
    }

    @Test
    void aBadCommandIsRefusedWithWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentCommand.parse("@report,format=json"))
                .getMessage().contains("no reply file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentCommand.parse("@reset,reply=/tmp/x"))
                .getMessage().contains("unknown command 'reset'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentCommand.parse("@report,format=xml,reply=/tmp/x"))
                .getMessage().contains("format=xml"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentCommand.parse("@report,reply=tmp/x"))
                .getMessage().contains("absolute"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentCommand.parse("@report,reply=/tmp/../etc/x"))
                .getMessage().contains("normalised"));
    }

    @Test
    void theAnswerGoesIntoTheOwnerOnlyFileTheCommandMade() throws IOException {
        Path f = replyFile("rw-------");
        AgentCommand.answer(AgentCommand.request("report", false, f.toString()), REPORTS);
        assertEquals("ephemera-reply ok\nreport=ephemera connects=3\n", Files.readString(f));
        f = replyFile("rw-------");
        AgentCommand.answer(AgentCommand.request("report", true, f.toString()), REPORTS);
        assertEquals("ephemera-reply ok\n{\"header\":{}}", Files.readString(f));
    }

    @Test
    void nothingIsWrittenWhereOthersCouldReadOrThroughALinkOrIntoAFileThatHoldsSomething() throws IOException {
        Path shared = replyFile("rw-r--r--");
        AgentCommand.answer(AgentCommand.request("report", false, shared.toString()), REPORTS);
        assertEquals("", Files.readString(shared));

        Path target = dir.resolve("target");
        Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        AgentCommand.answer(AgentCommand.request("report", false, link.toString()), REPORTS);
        assertEquals("", Files.readString(target));

        Path full = replyFile("rw-------");
        Files.writeString(full, "keep me");
        AgentCommand.answer(AgentCommand.request("report", false, full.toString()), REPORTS);
        assertEquals("keep me", Files.readString(full));

        Path missing = dir.resolve("missing");
        AgentCommand.answer(AgentCommand.request("report", false, missing.toString()), REPORTS);
        assertFalse(Files.exists(missing), "the agent never creates a file");
    }

    @Test
    void anAgentThatIsNotRunningOrAReportThatFailsIsAnErrorLine() throws IOException {
        Path f = replyFile("rw-------");
        AgentCommand.answer(AgentCommand.request("report", false, f.toString()), null);
        assertTrue(Files.readString(f).startsWith("ephemera-reply error ephemera is loaded in this JVM but not running"));

        f = replyFile("rw-------");
        AgentCommand.answer(AgentCommand.request("report", false, f.toString()), new AgentCommand.ReportSource() {
            @Override
            public String text() {
                throw new IllegalStateException("boom");
            }

            @Override
            public String json() {
                return "";
            }
        });
        assertEquals("ephemera-reply error the report failed inside the agent: java.lang.IllegalStateException: boom\n",
                Files.readString(f));
    }

    @Test
    void aReportThatHangsIsAnsweredWithAnErrorInsteadOfHoldingTheAttachChannel() throws IOException {
        CountDownLatch never = new CountDownLatch(1);
        Path f = replyFile("rw-------");
        AgentCommand.answer(AgentCommand.request("report", false, f.toString()), new AgentCommand.ReportSource() {
            @Override
            public String text() {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "late";
            }

            @Override
            public String json() {
                return "";
            }
        }, 50);
        never.countDown();
        assertEquals("ephemera-reply error the report did not finish within 0.05 s\n", Files.readString(f));
    }
}
