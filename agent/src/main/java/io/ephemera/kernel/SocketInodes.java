package io.ephemera.kernel;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The inodes of the sockets a process holds open, from the {@code socket:[inode]} links in
 * {@code /proc/<pid>/fd}: a line of {@code /proc/net/tcp} whose inode is in this set belongs to
 * the process. TIME_WAIT lines have inode 0 and never match.
 *
 * <p>Descriptors come and go while the directory is read; an entry that vanishes or cannot be
 * read is skipped and counted in {@link #unreadableEntries()}.
 */
final class SocketInodes {

    private final LongHashSet inodes;
    private final int unreadable;
    private final IOException error;

    private SocketInodes(LongHashSet inodes, int unreadable, IOException error) {
        this.inodes = inodes;
        this.unreadable = unreadable;
        this.error = error;
    }

    /** This JVM's sockets: {@code <procRoot>/self/fd}. */
    static SocketInodes ofSelf(Path procRoot) {
        return read(procRoot.resolve("self/fd"));
    }

    /** Another process's sockets: {@code <procRoot>/<pid>/fd} (needs the right to read it). */
    static SocketInodes ofProcess(Path procRoot, long pid) {
        return read(procRoot.resolve(Long.toString(pid)).resolve("fd"));
    }

    /** Reads a directory of fd links. A missing or unreadable directory is reported in {@link #error()}. */
    static SocketInodes read(Path fdDirectory) {
        LongHashSet inodes = new LongHashSet();
        int unreadable = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fdDirectory)) {
            for (Path entry : entries) {
                String target;
                try {
                    target = Files.readSymbolicLink(entry).toString();
                } catch (IOException | UnsupportedOperationException | SecurityException e) {
                    unreadable++; // closed since listed, or not a link
                    continue;
                }
                long inode = socketInode(target);
                if (inode >= 0) {
                    inodes.add(inode);
                }
            }
        } catch (IOException e) {
            return new SocketInodes(inodes, unreadable, e);
        } catch (SecurityException e) {
            return new SocketInodes(inodes, unreadable, new IOException(e));
        } catch (DirectoryIteratorException e) {
            return new SocketInodes(inodes, unreadable, e.getCause());
        }
        return new SocketInodes(inodes, unreadable, null);
    }

    /** The inode in a link target {@code socket:[123456]}, or -1 for any other target. */
    static long socketInode(String target) {
        String prefix = "socket:[";
        if (!target.startsWith(prefix) || !target.endsWith("]")) {
            return -1;
        }
        return ProcFiles.parseCount(target.substring(prefix.length(), target.length() - 1));
    }

    boolean contains(long inode) {
        return inodes.contains(inode);
    }

    /** How many distinct socket inodes were found. */
    int size() {
        return inodes.size();
    }

    /** Entries skipped because their link could not be read. */
    int unreadableEntries() {
        return unreadable;
    }

    /** True when the whole directory was listed. */
    boolean available() {
        return error == null;
    }

    /** Why the directory could not be listed (in whole or in part), or {@code null}. */
    IOException error() {
        return error;
    }
}
