package io.ephemera.kernel;

import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's TCP counters: {@code /proc/net/sockstat} ({@code TCP: inuse 5 orphan 0 tw 3
 * alloc 7 mem 1}) and the {@code TcpExt} block of {@code /proc/net/netstat}. They cost a few
 * milliseconds at any table size, so they are the cheap signal between full scans. A missing
 * file or field is {@link #ABSENT}; nothing here throws on content.
 */
final class SockStat {

    /** A counter that could not be read. */
    static final long ABSENT = -1;

    private final long inUse;
    private final long orphan;
    private final long timeWait;
    private final long allocated;
    private final long timeWaitsEnded;
    private final long timeWaitsRecycled;
    private final long timeWaitOverflows;

    private SockStat(long inUse, long orphan, long timeWait, long allocated,
                     long timeWaitsEnded, long timeWaitsRecycled, long timeWaitOverflows) {
        this.inUse = inUse;
        this.orphan = orphan;
        this.timeWait = timeWait;
        this.allocated = allocated;
        this.timeWaitsEnded = timeWaitsEnded;
        this.timeWaitsRecycled = timeWaitsRecycled;
        this.timeWaitOverflows = timeWaitOverflows;
    }

    /** Reads {@code <procRoot>/net/sockstat} and {@code <procRoot>/net/netstat}. */
    static SockStat read(Path procRoot) {
        return parse(ProcFiles.readOrNull(procRoot.resolve("net/sockstat"), ProcFiles.MAX_SMALL_FILE),
                ProcFiles.readOrNull(procRoot.resolve("net/netstat"), ProcFiles.MAX_SMALL_FILE));
    }

    /** Parses the two files' text; a null text makes its counters {@link #ABSENT}. */
    static SockStat parse(String sockstat, String netstat) {
        List<String> tcp = List.of();
        if (sockstat != null) {
            for (String line : ProcFiles.lines(sockstat)) {
                List<String> words = ProcFiles.words(line);
                if (!words.isEmpty() && words.get(0).equals("TCP:")) {
                    tcp = words;
                    break;
                }
            }
        }
        List<String> names = List.of();
        List<String> values = List.of();
        if (netstat != null) {
            // pairs of lines: "TcpExt: TW TWRecycled ..." then "TcpExt: 89 0 ..."
            List<String> lines = ProcFiles.lines(netstat);
            for (int i = 0; i + 1 < lines.size(); i++) {
                List<String> first = ProcFiles.words(lines.get(i));
                if (!first.isEmpty() && first.get(0).equals("TcpExt:")) {
                    List<String> second = ProcFiles.words(lines.get(i + 1));
                    if (!second.isEmpty() && second.get(0).equals("TcpExt:")) {
                        names = first;
                        values = second;
                    }
                    break;
                }
            }
        }
        return new SockStat(pair(tcp, "inuse"), pair(tcp, "orphan"), pair(tcp, "tw"), pair(tcp, "alloc"),
                column(names, values, "TW"), column(names, values, "TWRecycled"),
                column(names, values, "TCPTimeWaitOverflow"));
    }

    /** In {@code TCP: inuse 5 orphan 0 ...}, the number after {@code name}. */
    private static long pair(List<String> words, String name) {
        for (int i = 1; i + 1 < words.size(); i += 2) {
            if (words.get(i).equals(name)) {
                return ProcFiles.parseCount(words.get(i + 1));
            }
        }
        return ABSENT;
    }

    /** The value under {@code name} in a names line / values line pair. */
    private static long column(List<String> names, List<String> values, String name) {
        int i = names.indexOf(name);
        return i > 0 && i < values.size() ? ProcFiles.parseCount(values.get(i)) : ABSENT;
    }

    /** {@code TCP: inuse}: IPv4 TCP sockets in use, not counting TIME_WAIT (IPv6 is in sockstat6). */
    long inUse() {
        return inUse;
    }

    /** {@code TCP: orphan}: closed by their process, still finishing; counted kernel-wide. */
    long orphan() {
        return orphan;
    }

    /** {@code TCP: tw}: TIME_WAIT sockets now, IPv4 and IPv6 together, in this namespace. */
    long timeWait() {
        return timeWait;
    }

    /** {@code TCP: alloc}: TCP sockets allocated, both families; counted kernel-wide. */
    long allocated() {
        return allocated;
    }

    /** {@code TcpExt: TW}: TIME_WAIT sockets that ended after their full time, since boot. */
    long timeWaitsEnded() {
        return timeWaitsEnded;
    }

    /** {@code TcpExt: TWRecycled}: TIME_WAIT ports taken over early by {@code tcp_tw_reuse}. */
    long timeWaitsRecycled() {
        return timeWaitsRecycled;
    }

    /** {@code TcpExt: TCPTimeWaitOverflow}: TIME_WAIT sockets dropped at {@code tcp_max_tw_buckets}. */
    long timeWaitOverflows() {
        return timeWaitOverflows;
    }

    @Override
    public String toString() {
        return "TCP inuse=" + inUse + " orphan=" + orphan + " tw=" + timeWait + " alloc=" + allocated
                + " TcpExt TW=" + timeWaitsEnded + " TWRecycled=" + timeWaitsRecycled
                + " TCPTimeWaitOverflow=" + timeWaitOverflows;
    }
}
