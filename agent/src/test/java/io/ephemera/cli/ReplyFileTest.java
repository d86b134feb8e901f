package io.ephemera.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file an agent answers into: where it goes, who may read it, what an answer may say. */
class ReplyFileTest {

    @TempDir
    Path proc;

    private ReplyFile create() throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(ProcessHandle.current().pid())));
        Files.createDirectories(dir.resolve("root/var/tmp"));
        Properties props = new Properties();
        props.setProperty("java.io.tmpdir", "/var/tmp");
        TargetProcess target = new TargetProcess(proc, ProcessHandle.current().pid()); // made by this user: no chown
        return ReplyFile.create(target, props, User.current());
    }

    private Path here(ReplyFile f) {
        return proc.resolve(ProcessHandle.current().pid() + "/root" + f.there());
    }

    @Test
    void itIsAnEmptyOwnerOnlyFileInTheTargetsTemporaryDirectoryAndGoesOnClose() throws IOException {
        Path here;
        try (ReplyFile f = create()) {
            assertTrue(f.there().startsWith("/var/tmp/.ephemera-reply-" + ProcessHandle.current().pid() + "-"), f.there());
            here = here(f);
            assertEquals(0, Files.size(here));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(here)));
        }
        assertFalse(Files.exists(here));
    }

    @Test
    void anAnswerIsItsTextAnErrorIsOneLineAndNoAnswerSaysSo() throws IOException {
        try (ReplyFile f = create()) {
            Files.writeString(here(f), "ephemera-reply ok\nreport=ephemera connects=1\n");
            assertEquals("report=ephemera connects=1\n", f.read("the agent"));
            Files.writeString(here(f), "ephemera-reply error the report did not finish within 10 s\n");
            assertEquals("the agent could not answer: the report did not finish within 10 s",
                    assertThrows(Failure.class, () -> f.read("the agent")).getMessage());
            Files.writeString(here(f), "");
            assertTrue(assertThrows(Failure.class, () -> f.read("the agent")).getMessage().startsWith("the agent did not answer"));
            Files.writeString(here(f), "HTTP/1.1 200 OK\n");
            assertTrue(assertThrows(Failure.class, () -> f.read("the agent")).getMessage().contains("does not understand"));
        }
    }
}
