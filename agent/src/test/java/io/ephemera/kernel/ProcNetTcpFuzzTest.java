package io.ephemera.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and mutated tables, from a fixed seed: the parser must neither throw nor hang, must
 * account for every line, and must only ever report values the format allows.
 */
class ProcNetTcpFuzzTest {

    private static final long SEED = 0x5EED_E9E3L;
    private static final byte[] ALPHABET = "0123456789ABCDEFabcdef: \t\n\r-x".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    /** Checks every value handed out and counts them. */
    private static final class CheckingVisitor implements ProcNetTcpParser.Visitor {
        int sockets;

        @Override
        public void socket(long localHi, long localLo, int localPort, long remoteHi, long remoteLo, int remotePort,
                           TcpState state, int timerType, long timerRemainingMillis, long uid, long inode) {
            assertTrue(localPort >= 0 && localPort <= 0xFFFF, "local port " + localPort);
            assertTrue(remotePort >= 0 && remotePort <= 0xFFFF, "remote port " + remotePort);
            assertTrue(timerType >= 0 && timerType <= 0xFF, "timer " + timerType);
            assertTrue(timerRemainingMillis >= 0, "when " + timerRemainingMillis);
            assertTrue(uid >= 0 && uid <= 0xFFFF_FFFFL, "uid " + uid);
            assertTrue(inode >= 0, "inode " + inode);
            assertTrue(state != null);
            sockets++;
        }
    }

    private static int lines(byte[] b) {
        int n = 0;
        for (byte x : b) {
            if (x == '\n') {
                n++;
            }
        }
        return b.length == 0 || b[b.length - 1] == '\n' ? n : n + 1;
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = Arrays.copyOf(seed, seed.length);
        int edits = 1 + random.nextInt(20);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(5)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b[at] = ALPHABET[random.nextInt(ALPHABET.length)];
                case 2 -> b = Arrays.copyOf(b, at); // truncate
                case 3 -> { // delete a run
                    int len = Math.min(b.length - at, 1 + random.nextInt(40));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
                default -> { // duplicate a run
                    int len = Math.min(b.length - at, 1 + random.nextInt(200));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                }
            }
        }
        return b;
    }

    private static byte[] randomInput(Random random, byte[][] seeds) {
        switch (random.nextInt(3)) {
            case 0: {
                byte[] b = new byte[random.nextInt(8192)];
                random.nextBytes(b);
                return b;
            }
            case 1: {
                byte[] b = new byte[random.nextInt(8192)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = ALPHABET[random.nextInt(ALPHABET.length)];
                }
                return b;
            }
            default:
                return mutate(seeds[random.nextInt(seeds.length)], random);
        }
    }

    @Test
    void randomAndMutatedInputNeverThrowsAndAlwaysEnds() {
        byte[][] seeds = {
            Fixtures.bytes("loopback", "net/tcp"), Fixtures.bytes("loopback", "net/tcp6"),
            Fixtures.bytes("states", "net/tcp"), Fixtures.bytes("malformed", "net/tcp6"),
        };
        Random random = new Random(SEED);
        ProcNetTcpParser parser = Fixtures.recordedParser();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 20_000; round++) {
                byte[] input = randomInput(random, seeds);
                CheckingVisitor visitor = new CheckingVisitor();
                TcpScan scan = parser.parse(input, 0, input.length, visitor);
                assertEquals(visitor.sockets, scan.sockets());
                assertTrue(scan.sockets() + scan.malformedLines() <= lines(input), "round " + round);
            }
        });
    }

    @Test
    void filesAndBytesAgreeOnMutatedInput() throws IOException {
        byte[][] seeds = {Fixtures.bytes("loopback", "net/tcp6"), Fixtures.bytes("states", "net/tcp")};
        Random random = new Random(SEED + 1);
        ProcNetTcpParser parser = Fixtures.recordedParser();
        Path file = dir.resolve("tcp6");
        for (int round = 0; round < 300; round++) {
            byte[] input = randomInput(random, seeds);
            Files.write(file, input);
            TcpScan fromBytes = parser.parse(input, 0, input.length, new CheckingVisitor());
            TcpScan fromFile = parser.scan(file, new CheckingVisitor());
            assertEquals(fromBytes, fromFile, "round " + round);
        }
    }

    @Test
    void aSliceOfALargerArrayIsParsedAlone() {
        byte[] table = Fixtures.bytes("loopback", "net/tcp6");
        byte[] padded = new byte[table.length + 200];
        Arrays.fill(padded, (byte) 'x');
        System.arraycopy(table, 0, padded, 100, table.length);
        TcpScan scan = Fixtures.recordedParser().parse(padded, 100, table.length, new CheckingVisitor());
        assertEquals(9, scan.sockets());
        assertEquals(0, scan.malformedLines());
    }
}
