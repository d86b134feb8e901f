package io.ephemera.kernel;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A cursor that reads one line of {@code /proc/net/tcp} or {@code /proc/net/tcp6} column by
 * column, against the format of {@code get_tcp4_sock()} / {@code get_tcp6_sock()} (and their
 * TIME_WAIT and request-socket siblings) in {@code net/ipv4/tcp_ipv4.c} and
 * {@code net/ipv6/tcp_ipv6.c}:
 *
 * <pre>   0: 0100007F:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000  0 10339 ...</pre>
 *
 * <p>Columns after {@code inode} differ between those three kinds of socket and are ignored.
 * The cursor lives in fields so the column readers can share it without allocating; an
 * instance therefore serves one caller at a time.
 */
final class ProcNetTcpLine {

    private static final byte[] HEX = new byte[256];

    static {
        Arrays.fill(HEX, (byte) -1);
        for (int i = 0; i < 10; i++) {
            HEX['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            HEX['a' + i] = (byte) (10 + i);
            HEX['A' + i] = (byte) (10 + i);
        }
    }

    /** {@code tm->when} is in clock_t ticks: USER_HZ, 100 on every architecture we run on. */
    private static final int MILLIS_PER_TICK = 10;

    /**
     * The kernel prints each 32-bit address word with {@code %08X} of a network-order
     * {@code __be32} read as a host integer, so the hex shows the network bytes in the host's
     * order: {@code 127.0.0.1} is {@code 0100007F} on a little-endian host (x86-64, arm64). This
     * flag is the one place that byte-order assumption lives. It follows the JVM's native order,
     * which is the kernel's; tests pin it to little-endian for text recorded on x86.
     */
    private final boolean littleEndianWords;

    private byte[] text;
    private int pos;
    private int limit;
    private long addressHi;
    private long addressLo;
    private int addressDigits;

    ProcNetTcpLine(ByteOrder kernelOrder) {
        this.littleEndianWords = kernelOrder == ByteOrder.LITTLE_ENDIAN;
    }

    /** The header starts with the {@code sl} column's title. */
    static boolean isHeader(byte[] bytes, int start, int end) {
        int p = start;
        while (p < end && bytes[p] == ' ') {
            p++;
        }
        return end - p >= 3 && bytes[p] == 's' && bytes[p + 1] == 'l' && bytes[p + 2] == ' ';
    }

    /**
     * Reads the line that starts at {@code start}, looking no further than {@code end}, and
     * hands it to the visitor. Returns the index of the line's newline, or -1, without calling
     * the visitor, unless every column up to {@code inode} is well formed, the newline comes
     * before {@code end}, and the line is at most {@code maxLine} bytes. On -1 the caller finds
     * the newline itself to tell a bad line from an unfinished one: parsing as it goes, instead
     * of finding the newline first, reads most bytes once instead of twice.
     */
    int read(byte[] bytes, int start, int end, int maxLine, ProcNetTcpParser.Visitor visitor) {
        text = bytes;
        pos = start;
        limit = end;
        skipBlanks();
        if (decimal(10) < 0 || !expect(':') || !blanks() || !address() || !expect(':')) {
            return -1; // sl
        }
        long localHi = addressHi;
        long localLo = addressLo;
        int digits = addressDigits;
        long localPort = hex(4);
        if (localPort < 0 || !blanks() || !address() || addressDigits != digits || !expect(':')) {
            return -1;
        }
        long remotePort = hex(4);
        if (remotePort < 0 || !blanks()) {
            return -1;
        }
        long state = hex(2);
        if (state < 0 || !blanks() || hex(16) < 0 || !expect(':') || hex(16) < 0 || !blanks()) {
            return -1; // tx_queue:rx_queue, not kept
        }
        long timerType = hex(2);
        if (timerType < 0 || !expect(':')) {
            return -1;
        }
        long ticks = hex(16);
        if (ticks < 0 || !blanks() || hex(8) < 0 || !blanks()) {
            return -1; // retrnsmt, not kept
        }
        long uid = decimal(10);
        if (uid < 0 || uid > 0xFFFF_FFFFL || !blanks() || !signedDecimal(10) || !blanks()) {
            return -1; // timeout (probes), not kept
        }
        long inode = decimal(18);
        if (inode < 0 || pos == limit || !isBlank(text[pos]) && text[pos] != '\r' && text[pos] != '\n') {
            return -1; // glued to the inode, or maybe cut short by the end of the buffer
        }
        int newline = AsciiSwar.indexOfNewline(text, pos, (int) Math.min(limit, (long) start + maxLine + 1));
        if (newline < 0) {
            return -1;
        }
        long millis = ticks > Long.MAX_VALUE / MILLIS_PER_TICK ? Long.MAX_VALUE : ticks * MILLIS_PER_TICK;
        visitor.socket(localHi, localLo, (int) localPort, addressHi, addressLo, (int) remotePort,
                TcpState.of((int) state), (int) timerType, millis, uid, inode);
        return newline;
    }

    /**
     * An address column: 8 hex digits (IPv4, stored as {@code ::ffff:a.b.c.d}) or 32 (IPv6, four
     * words). Sets {@link #addressHi}, {@link #addressLo} and {@link #addressDigits}; the caller
     * checks that a {@code ':'} follows, which also rejects any other number of digits.
     */
    private boolean address() {
        int p = pos;
        long w0 = word(p);
        if (w0 < 0) {
            return false;
        }
        if (p + 8 == limit || HEX[text[p + 8] & 0xff] < 0) {
            addressHi = 0;
            addressLo = KernelSocket.mappedIpv4((int) w0);
            addressDigits = 8;
            pos = p + 8;
            return true;
        }
        long w1 = word(p + 8);
        long w2 = word(p + 16);
        long w3 = word(p + 24);
        if (w1 < 0 || w2 < 0 || w3 < 0) {
            return false;
        }
        addressHi = w0 << 32 | w1;
        addressLo = w2 << 32 | w3;
        addressDigits = 32;
        pos = p + 32;
        return true;
    }

    /** Eight hex digits at {@code at} as the unsigned network-order word they print, or -1. */
    private long word(int at) {
        if (at > limit - 8) {
            return -1;
        }
        long v = AsciiSwar.hex8(text, at);
        if (v < 0 || !littleEndianWords) {
            return v;
        }
        return Integer.reverseBytes((int) v) & 0xFFFF_FFFFL;
    }

    /** 1..maxDigits (at most 16) hex digits as a non-negative long, or -1. */
    private long hex(int maxDigits) {
        if (maxDigits >= 8 && pos <= limit - 8) {
            // the kernel prints most of these columns as exactly eight digits: %08X
            long v = AsciiSwar.hex8(text, pos);
            if (v >= 0 && (pos + 8 == limit || HEX[text[pos + 8] & 0xff] < 0)) {
                pos += 8;
                return v;
            }
        }
        int start = pos;
        int p = start;
        long v = 0;
        while (p < limit && p - start <= maxDigits) {
            int d = HEX[text[p] & 0xff];
            if (d < 0) {
                break;
            }
            v = v << 4 | d;
            p++;
        }
        int digits = p - start;
        if (digits == 0 || digits > maxDigits || v < 0) {
            return -1;
        }
        pos = p;
        return v;
    }

    /** 1..maxDigits (at most 18, so it cannot overflow) decimal digits, or -1. */
    private long decimal(int maxDigits) {
        int start = pos;
        int p = start;
        long v = 0;
        while (p < limit && p - start <= maxDigits) {
            int d = text[p] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            v = v * 10 + d;
            p++;
        }
        int digits = p - start;
        if (digits == 0 || digits > maxDigits) {
            return -1;
        }
        pos = p;
        return v;
    }

    private boolean signedDecimal(int maxDigits) {
        if (pos < limit && text[pos] == '-') {
            pos++;
        }
        return decimal(maxDigits) >= 0;
    }

    private boolean expect(char c) {
        if (pos < limit && text[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** At least one blank: columns are separated, never glued. */
    private boolean blanks() {
        int start = pos;
        skipBlanks();
        return pos > start;
    }

    private void skipBlanks() {
        int p = pos;
        while (p < limit && isBlank(text[p])) {
            p++;
        }
        pos = p;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }
}
