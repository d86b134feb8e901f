package io.ephemera.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight ASCII bytes at a time ("SIMD within a register"). Most of a {@code /proc/net/tcp6}
 * line is fixed-width hex words and padding; handling them a long at a time instead of a byte
 * at a time is most of what keeps the parser's cost small next to the kernel's.
 */
final class AsciiSwar {

    private static final VarHandle BIG_ENDIAN_LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LITTLE_ENDIAN_LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    private static final long NEWLINES = ONES * '\n';

    private AsciiSwar() {
    }

    /**
     * The eight hex digits at {@code at} (upper or lower case) as an unsigned 32-bit value, or
     * -1 if any of the eight bytes is not a hex digit. Needs {@code at + 8 <= bytes.length}.
     */
    static long hex8(byte[] bytes, int at) {
        long x = (long) BIG_ENDIAN_LONGS.get(bytes, at); // first character in the top byte
        // Per byte, with no carries between bytes because every byte is below 0x80 first:
        // the high bit of c + (0x80 - lo) is set exactly when c >= lo.
        long lower = x | ONES * 0x20;
        long digit = (x + ONES * (0x80 - '0')) & ~(x + ONES * (0x80 - ('9' + 1)));
        long letter = (lower + ONES * (0x80 - 'a')) & ~(lower + ONES * (0x80 - ('f' + 1)));
        if ((x & HIGH_BITS) != 0 || ((digit | letter) & HIGH_BITS) != HIGH_BITS) {
            return -1;
        }
        // '0'..'9' is 0x3N, 'A'..'F' and 'a'..'f' are 0x4N and 0x6N: N, plus 9 if bit 6 is set
        long v = (x & ONES * 0x0F) + 9 * (x >>> 6 & ONES);
        // gather the eight nibbles, one per byte, into 32 bits
        v = (v | v >>> 4) & 0x00FF_00FF_00FF_00FFL;
        v = (v | v >>> 8) & 0x0000_FFFF_0000_FFFFL;
        return (v | v >>> 16) & 0xFFFF_FFFFL;
    }

    /** The first {@code '\n'} in [from, to), or -1. */
    static int indexOfNewline(byte[] bytes, int from, int to) {
        int i = from;
        for (; i <= to - 8; i += 8) {
            long x = (long) LITTLE_ENDIAN_LONGS.get(bytes, i) ^ NEWLINES; // zero where '\n'
            // the classic "has a zero byte" test: only bytes above a true zero can be false hits,
            // so the lowest set bit is always the first newline
            long zeros = (x - ONES) & ~x & HIGH_BITS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
