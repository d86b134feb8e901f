package io.ephemera.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * Parses the text of {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
 *
 * <p>The kernel spends about 1.7 µs per socket producing this text and a census reads tens of
 * thousands of lines, so parsing must cost little next to that: bytes are read column by column
 * ({@link ProcNetTcpLine}), eight at a time where the columns allow ({@link AsciiSwar}), into
 * primitives handed to a {@link Visitor}, with no regex, no strings
 * and nothing allocated per line but what the visitor allocates. A line that does not match the
 * kernel's format (garbled, truncated, longer than {@link #MAX_LINE}) is skipped and counted in
 * {@link TcpScan#malformedLines()}, never thrown. The header line is skipped.
 *
 * <p>Files are streamed through one reusable {@link #CHUNK}-byte buffer, so memory stays fixed
 * whatever the size of the table. An instance belongs to one caller at a time.
 */
final class ProcNetTcpParser {

    /** Longer lines are skipped and counted: the kernel's lines are under 200 bytes. */
    static final int MAX_LINE = 4096;

    /** The reusable read buffer; larger than {@link #MAX_LINE} so a whole line always fits. */
    static final int CHUNK = 64 * 1024;

    /** {@link #scan} stops after this much text: no real table is this big, /dev/zero is. */
    static final long MAX_FILE_BYTES = 1L << 30;

    /** Receives each parsed socket; see {@link KernelSocket} for what the values mean. */
    @FunctionalInterface
    interface Visitor {
        void socket(long localHi, long localLo, int localPort,
                    long remoteHi, long remoteLo, int remotePort,
                    TcpState state, int timerType, long timerRemainingMillis,
                    long uid, long inode);
    }

    private final ProcNetTcpLine line;
    private final long maxFileBytes;
    private byte[] chunk;
    private ByteBuffer chunkBuffer;
    private int sockets;
    private int malformed;

    /** A parser for this machine's kernel. */
    ProcNetTcpParser() {
        this(ByteOrder.nativeOrder());
    }

    /** A parser for text printed by a kernel of the given byte order (recorded text, tests). */
    ProcNetTcpParser(ByteOrder kernelOrder) {
        this(kernelOrder, MAX_FILE_BYTES);
    }

    /** As above, stopping {@link #scan} after {@code maxFileBytes} (tests of the limit). */
    ProcNetTcpParser(ByteOrder kernelOrder, long maxFileBytes) {
        this.line = new ProcNetTcpLine(kernelOrder);
        this.maxFileBytes = maxFileBytes;
    }

    /** A visitor that adds one {@link KernelSocket} per parsed line to {@code out}. */
    static Visitor collectInto(List<? super KernelSocket> out) {
        Objects.requireNonNull(out, "out");
        return (lHi, lLo, lPort, rHi, rLo, rPort, state, timer, when, uid, inode) ->
                out.add(new KernelSocket(lHi, lLo, lPort, rHi, rLo, rPort, state, timer, when, uid, inode));
    }

    /**
     * Parses {@code len} bytes of table text. A last line without its newline is counted as
     * truncated: the kernel ends every line.
     */
    TcpScan parse(byte[] bytes, int off, int len, Visitor visitor) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        Objects.requireNonNull(visitor, "visitor");
        sockets = 0;
        malformed = 0;
        int end = off + len;
        if (completeLines(bytes, off, end, visitor) < end) {
            malformed++;
        }
        return new TcpScan(sockets, malformed, len, null);
    }

    /**
     * Reads and parses a whole table file, for example {@code /proc/net/tcp6}. A missing or
     * unreadable file, or a read that fails part way, is reported in {@link TcpScan#error()},
     * never thrown.
     */
    TcpScan scan(Path file, Visitor visitor) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(visitor, "visitor");
        sockets = 0;
        malformed = 0;
        if (Files.exists(file) && !Files.isRegularFile(file)) { // opening a FIFO would block the census for good
            return TcpScan.unavailable(new IOException(file + ": not a regular file"));
        }
        if (chunk == null) {
            chunk = new byte[CHUNK];
            chunkBuffer = ByteBuffer.wrap(chunk);
        }
        long bytes = 0;
        int filled = 0;
        boolean discarding = false; // inside an over-long line that is already counted
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                if (bytes >= maxFileBytes) {
                    return new TcpScan(sockets, malformed, bytes,
                            new IOException(file + ": stopped after " + bytes + " bytes"));
                }
                chunkBuffer.limit(chunk.length).position(filled);
                int n = channel.read(chunkBuffer);
                if (n <= 0) {
                    break; // a file channel reports end of file as -1; 0 would never progress
                }
                bytes += n;
                int to = filled + n;
                int from = 0;
                if (discarding) {
                    int newline = AsciiSwar.indexOfNewline(chunk, 0, to);
                    if (newline < 0) {
                        filled = 0;
                        continue;
                    }
                    from = newline + 1;
                    discarding = false;
                }
                int tail = completeLines(chunk, from, to, visitor);
                int rest = to - tail;
                if (rest > MAX_LINE) {
                    malformed++;
                    discarding = true;
                    filled = 0;
                } else {
                    // /proc hands out about a page per read: carry the unfinished line over
                    System.arraycopy(chunk, tail, chunk, 0, rest);
                    filled = rest;
                }
            }
        } catch (IOException e) {
            return new TcpScan(sockets, malformed, bytes, e);
        }
        if (filled > 0) {
            malformed++;
        }
        return new TcpScan(sockets, malformed, bytes, null);
    }

    /** Parses every newline-terminated line in [from, to); returns where the unfinished tail starts. */
    private int completeLines(byte[] bytes, int from, int to, Visitor visitor) {
        int start = from;
        while (start < to) {
            int end = line.read(bytes, start, to, MAX_LINE, visitor);
            if (end >= 0) {
                sockets++;
                start = end + 1;
                continue;
            }
            int newline = AsciiSwar.indexOfNewline(bytes, start, to);
            if (newline < 0) {
                return start;
            }
            // an empty line says nothing; the header is expected; anything else is counted
            if (newline - start > MAX_LINE
                    || newline > start && !ProcNetTcpLine.isHeader(bytes, start, newline)) {
                malformed++;
            }
            start = newline + 1;
        }
        return start;
    }
}
