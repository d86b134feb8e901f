package io.ephemera.kernel;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Which process holds each of a set of socket inodes, found by reading the {@code socket:[inode]}
 * links in every {@code /proc/<pid>/fd} that can be read. Only the wanted inodes are kept, in
 * primitive arrays (open addressing), so the cost is one link read per descriptor on the host and
 * the memory is bounded by what is wanted. The walk stops as soon as every wanted inode has an
 * owner, after {@link #MAX_DESCRIPTORS} descriptors, or after {@link #MAX_NANOS}: a host with
 * millions of descriptors gets an incomplete answer, said so, rather than a slow one. A socket
 * shared by several processes (inherited across fork) is given to the first one found.
 */
final class SocketOwners {

    static final int MAX_DESCRIPTORS = 2_000_000;
    static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(3);

    private static final int UNREADABLE = -1;
    private static final int GONE = -2;

    /** What the walk over {@code /proc/<pid>/fd} covered. */
    record Walk(int processes, int unreadable, boolean complete, String incompleteReason) {
    }

    private final long[] inodes;
    private final long[] owners; // 0: not found yet
    private final int mask;
    private int size;
    private int found;

    SocketOwners(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected) * 2 - 1) << 1;
        inodes = new long[capacity];
        owners = new long[capacity];
        mask = capacity - 1;
    }

    /** Asks for the owner of {@code inode} (never 0: 0 marks an empty slot). */
    void want(long inode) {
        if (inode == 0 || size * 2 >= inodes.length) {
            return; // sized by the caller for its input; never reached
        }
        int i = slot(inode);
        if (inodes[i] == 0) {
            inodes[i] = inode;
            size++;
        }
    }

    /** The pid holding {@code inode}, or 0 when it was not found (or not wanted). */
    long owner(long inode) {
        if (inode == 0) {
            return 0;
        }
        int i = slot(inode);
        return inodes[i] == inode ? owners[i] : 0;
    }

    int wanted() {
        return size;
    }

    /** Reads every {@code <procRoot>/<pid>/fd} it may, until every wanted inode has an owner. */
    Walk walk(Path procRoot) {
        if (size == 0) {
            return new Walk(0, 0, true, null);
        }
        long deadline = System.nanoTime() + MAX_NANOS;
        int processes = 0;
        int unreadable = 0;
        int descriptors = 0;
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(procRoot)) {
            for (Path dir : pids) {
                long pid = ProcFiles.parseCount(dir.getFileName().toString());
                if (pid <= 0) {
                    continue;
                }
                if (found == size) {
                    break;
                }
                if (descriptors >= MAX_DESCRIPTORS || System.nanoTime() - deadline > 0) {
                    return new Walk(processes, unreadable, false, "stopped after " + processes + " processes and "
                            + descriptors + " descriptors");
                }
                int n = descriptors(dir.resolve("fd"), pid);
                if (n == UNREADABLE) {
                    unreadable++;
                } else if (n != GONE) {
                    processes++;
                    descriptors += n;
                }
            }
        } catch (IOException | DirectoryIteratorException | SecurityException e) {
            return new Walk(processes, unreadable, false, "cannot list " + procRoot + ": " + e);
        }
        return new Walk(processes, unreadable, true, null);
    }

    /** Descriptors read in one fd directory, or {@link #UNREADABLE} / {@link #GONE}. */
    private int descriptors(Path fd, long pid) {
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fd)) {
            for (Path entry : entries) {
                n++;
                String target;
                try {
                    target = Files.readSymbolicLink(entry).toString();
                } catch (IOException | UnsupportedOperationException | SecurityException e) {
                    continue; // closed since listed
                }
                long inode = SocketInodes.socketInode(target);
                if (inode > 0) {
                    int i = slot(inode);
                    if (inodes[i] == inode && owners[i] == 0) {
                        owners[i] = pid;
                        found++;
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return GONE; // the process ended while we looked
        } catch (AccessDeniedException | SecurityException e) {
            return UNREADABLE;
        } catch (IOException | DirectoryIteratorException e) {
            return n == 0 ? UNREADABLE : n;
        }
        return n;
    }

    private int slot(long inode) {
        int i = (int) TupleIndex.mix(inode) & mask;
        while (inodes[i] != 0 && inodes[i] != inode) {
            i = (i + 1) & mask;
        }
        return i;
    }
}
