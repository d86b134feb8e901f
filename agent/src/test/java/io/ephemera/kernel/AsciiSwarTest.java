package io.ephemera.kernel;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AsciiSwarTest {

    private static long reference(byte[] b, int at) {
        long v = 0;
        for (int i = at; i < at + 8; i++) {
            int d = Character.digit(b[i] & 0xff, 16);
            if (d < 0 || (b[i] & 0xff) > 0x7f) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    @Test
    void hexWords() {
        byte[] b = "0100007FffffFFFF00000000a1B2c3D4".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x0100007FL, AsciiSwar.hex8(b, 0));
        assertEquals(0xFFFFFFFFL, AsciiSwar.hex8(b, 8));
        assertEquals(0L, AsciiSwar.hex8(b, 16));
        assertEquals(0xA1B2C3D4L, AsciiSwar.hex8(b, 24));
        for (String bad : new String[] {"0100007G", "0100007:", " 100007F", "0100007\u00c6", "@0000000", "`0000000", "/0000000"}) {
            assertEquals(-1, AsciiSwar.hex8(bad.getBytes(StandardCharsets.ISO_8859_1), 0), bad);
        }
    }

    @Test
    void everyByteValueInEveryPosition() {
        byte[] b = "00000000".getBytes(StandardCharsets.US_ASCII);
        for (int pos = 0; pos < 8; pos++) {
            for (int c = 0; c < 256; c++) {
                byte[] x = b.clone();
                x[pos] = (byte) c;
                assertEquals(reference(x, 0), AsciiSwar.hex8(x, 0), "byte " + c + " at " + pos);
            }
        }
    }

    @Test
    void randomHexLikeWordsAgreeWithTheObviousLoop() {
        byte[] alphabet = "0123456789abcdefABCDEFgG:/@`\n \u0080\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        Random random = new Random(11);
        byte[] b = new byte[8];
        for (int round = 0; round < 200_000; round++) {
            for (int i = 0; i < 8; i++) {
                b[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : alphabet[random.nextInt(22)];
            }
            assertEquals(reference(b, 0), AsciiSwar.hex8(b, 0));
        }
    }

    @Test
    void newlineSearchAgreesWithTheObviousLoop() {
        Random random = new Random(12);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                int r = random.nextInt(20);
                b[i] = (byte) (r == 0 ? '\n' : r == 1 ? 0x0B : r == 2 ? 0x8A : r == 3 ? 0x09 : 'x');
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (b[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertEquals(expected, AsciiSwar.indexOfNewline(b, from, to));
        }
    }
}
