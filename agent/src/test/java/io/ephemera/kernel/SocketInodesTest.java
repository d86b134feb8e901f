package io.ephemera.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketInodesTest {

    @TempDir
    Path proc;

    @Test
    void socketLinksAreCollectedAndOtherEntriesIgnoredOrCounted() throws IOException {
        Path fd = Files.createDirectories(proc.resolve("self/fd"));
        Files.createSymbolicLink(fd.resolve("0"), Files.createFile(proc.resolve("log.txt")));
        Files.createSymbolicLink(fd.resolve("3"), Path.of("socket:[123]"));
        Files.createSymbolicLink(fd.resolve("4"), Path.of("socket:[4294967296]"));
        Files.createSymbolicLink(fd.resolve("5"), Path.of("socket:[123]")); // dup()
        Files.createSymbolicLink(fd.resolve("6"), Path.of("pipe:[77]"));
        Files.createSymbolicLink(fd.resolve("7"), Path.of("socket:[12x]"));
        Files.createSymbolicLink(fd.resolve("8"), Path.of("anon_inode:[eventpoll]"));
        Files.createFile(fd.resolve("9")); // not a link: unreadable as one

        SocketInodes inodes = SocketInodes.ofSelf(proc);
        assertTrue(inodes.available());
        assertEquals(2, inodes.size());
        assertTrue(inodes.contains(123));
        assertTrue(inodes.contains(4294967296L));
        assertFalse(inodes.contains(77));
        assertFalse(inodes.contains(0));
        assertEquals(1, inodes.unreadableEntries());
    }

    @Test
    void anotherProcessIsReadByPid() throws IOException {
        Path fd = Files.createDirectories(proc.resolve("4242/fd"));
        Files.createSymbolicLink(fd.resolve("10"), Path.of("socket:[99]"));
        SocketInodes inodes = SocketInodes.ofProcess(proc, 4242);
        assertEquals(1, inodes.size());
        assertTrue(inodes.contains(99));
    }

    @Test
    void aMissingDirectoryIsUnavailable() {
        SocketInodes inodes = SocketInodes.ofSelf(proc);
        assertFalse(inodes.available());
        assertInstanceOf(NoSuchFileException.class, inodes.error());
        assertEquals(0, inodes.size());
    }

    @Test
    void linkTargets() {
        assertEquals(123, SocketInodes.socketInode("socket:[123]"));
        assertEquals(-1, SocketInodes.socketInode("socket:[]"));
        assertEquals(-1, SocketInodes.socketInode("socket:[123"));
        assertEquals(-1, SocketInodes.socketInode("socket:123]"));
        assertEquals(-1, SocketInodes.socketInode("/tmp/socket:[123]"));
        assertEquals(-1, SocketInodes.socketInode("socket:[-1]"));
    }

    @Test
    void thisProcessHasSomeSockets() throws IOException {
        Path live = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(live), "no /proc here");
        try (java.net.ServerSocket server = new java.net.ServerSocket(0)) {
            SocketInodes inodes = SocketInodes.ofSelf(Path.of("/proc"));
            assertTrue(inodes.available());
            assertTrue(inodes.size() >= 1, "the server socket at least");
        }
    }
}
