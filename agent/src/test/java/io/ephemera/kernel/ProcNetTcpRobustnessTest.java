package io.ephemera.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the parser does with text that is not a clean kernel table, and with files. */
class ProcNetTcpRobustnessTest {

    @TempDir
    Path dir;

    private static List<KernelSocket> scan(String procRoot, String file, TcpScan[] result) {
        List<KernelSocket> out = new ArrayList<>();
        result[0] = Fixtures.recordedParser().scan(Fixtures.procRoot(procRoot).resolve(file),
                ProcNetTcpParser.collectInto(out));
        return out;
    }

    @Test
    void malformedAndTruncatedLinesAreSkippedAndCounted() {
        TcpScan[] scan = new TcpScan[1];
        List<KernelSocket> s = scan("malformed", "net/tcp6", scan);
        assertTrue(scan[0].available());
        assertEquals(2, scan[0].sockets());
        assertEquals(8, scan[0].malformedLines());
        assertEquals(5001, s.get(0).localPort());
        assertEquals(10340L, s.get(0).inode());
        assertEquals(40002, s.get(1).localPort());

        byte[] b = Fixtures.bytes("malformed", "net/tcp6");
        TcpScan inMemory = Fixtures.recordedParser().parse(b, 0, b.length, (a, c, d, e, f, g, h, i, j, k, l) -> { });
        assertEquals(scan[0], inMemory, "file and byte[] agree");
    }

    @Test
    void theHeaderAndEmptyLinesAreNotCounted() {
        TcpScan[] scan = new TcpScan[1];
        String header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
        assertEquals(List.of(), Fixtures.parse(header + "\n\n", scan));
        assertEquals(0, scan[0].malformedLines());
        assertEquals(0, scan[0].sockets());
    }

    @Test
    void lowerCaseHexTabsAndCarriageReturnsAreAccepted() {
        TcpScan[] scan = new TcpScan[1];
        List<KernelSocket> s = Fixtures.parse(
                "0:\t0100007f:0a0b\t0100007f:1388 0a 0:0 00:0 0 0 0 12\r\n", scan);
        assertEquals(1, scan[0].sockets());
        assertEquals(0x0A0B, s.get(0).localPort());
        assertSame(TcpState.LISTEN, s.get(0).state());
        assertEquals(12L, s.get(0).inode());
    }

    @Test
    void columnsMustBeComplete() {
        String good = "   0: 0100007F:1388 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 10343";
        TcpScan[] scan = new TcpScan[1];
        assertEquals(1, Fixtures.parse(good + "\n", scan).size());
        // every proper prefix of the line stops before the inode is complete, or cuts it short
        for (int cut = 1; cut < good.length() - 5; cut++) {
            assertEquals(List.of(), Fixtures.parse(good.substring(0, cut) + "\n", scan), "cut at " + cut);
            assertEquals(1, scan[0].malformedLines(), "cut at " + cut);
        }
        String[] bad = {
            good.replace("10343", "10343x"),
            good.replace("10343", "-10343"),
            good.replace(" 0        0 ", " 4294967296        0 "), // uid past 32 bits
            good.replace(" 00:00000000 ", " 000:00000000 "),
            good.replace(" 00:00000000 ", " 00:10000000000000000 "), // 17 hex digits
            good.replace(" 00:00000000 ", " 00:F000000000000000 "), // past a signed long
            good.replace(":1388 ", ":1388"),
            good.replace("   0:", "   x:"),
            good.replace("10343", "1234567890123456789"), // 19 digits
        };
        for (String line : bad) {
            assertEquals(List.of(), Fixtures.parse(line + "\n", scan), line);
            assertEquals(1, scan[0].malformedLines(), line);
        }
    }

    @Test
    void aLastLineWithoutNewlineIsTruncated() {
        String line = "   0: 0100007F:1388 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 10343 1";
        TcpScan[] scan = new TcpScan[1];
        assertEquals(List.of(), Fixtures.parse(line, scan));
        assertEquals(1, scan[0].malformedLines());
    }

    @Test
    void aHugeLineIsSkippedAndCountedInMemoryAndFromAFile() throws IOException {
        String good = "   0: 0100007F:1388 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 10343 1\n";
        String huge = "   1: 0100007F:1388 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 7 "
                + "x".repeat(300_000) + "\n";
        String paddedGood = good.replace("\n", " ".repeat(ProcNetTcpParser.MAX_LINE) + "\n");
        String paddedHeader = "  sl  local_address" + " ".repeat(ProcNetTcpParser.MAX_LINE) + "\n";
        String text = good + huge + good + "y".repeat(5000) + "\n" + paddedGood + paddedHeader + good;
        TcpScan[] scan = new TcpScan[1];
        assertEquals(3, Fixtures.parse(text, scan).size());
        assertEquals(4, scan[0].malformedLines(), "every line over MAX_LINE, even a good one or a header");

        Path file = dir.resolve("tcp");
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        List<KernelSocket> out = new ArrayList<>();
        TcpScan fromFile = Fixtures.recordedParser().scan(file, ProcNetTcpParser.collectInto(out));
        assertEquals(3, fromFile.sockets());
        assertEquals(4, fromFile.malformedLines());
        assertEquals(text.length(), fromFile.bytes());

        Files.writeString(file, good + "z".repeat(200_000), StandardCharsets.US_ASCII);
        TcpScan unterminated = Fixtures.recordedParser().scan(file, (a, c, d, e, f, g, h, i, j, k, l) -> { });
        assertEquals(1, unterminated.sockets());
        assertEquals(1, unterminated.malformedLines(), "an over-long tail is counted once");
    }

    @Test
    void linesThatStraddleTheReadBufferAreParsedWhole() throws IOException {
        StringBuilder sb = new StringBuilder("  sl  local_address rem_address   st\n");
        int n = 5000; // about 500 KiB: many CHUNK boundaries fall inside lines
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%6d: 0100007F:%04X 0100007F:1388 06 00000000:00000000 03:%08X 00000000"
                    + "     0        0 0 3 0000000000000000%s%n", i, 10000 + i, i, " ".repeat(i % 13)));
        }
        Path file = dir.resolve("tcp6");
        Files.writeString(file, sb, StandardCharsets.US_ASCII);
        List<KernelSocket> out = new ArrayList<>();
        TcpScan scan = Fixtures.recordedParser().scan(file, ProcNetTcpParser.collectInto(out));
        assertEquals(n, scan.sockets());
        assertEquals(0, scan.malformedLines());
        for (int i = 0; i < n; i++) {
            assertEquals(10000 + i, out.get(i).localPort());
            assertEquals(i * 10L, out.get(i).timerRemainingMillis());
        }
    }

    @Test
    void aMissingFileIsUnavailableNotAnException() {
        TcpScan scan = Fixtures.recordedParser().scan(dir.resolve("no-such-file"), (a, c, d, e, f, g, h, i, j, k, l) -> { });
        assertFalse(scan.available());
        assertInstanceOf(NoSuchFileException.class, scan.error());
        assertEquals(0, scan.sockets());
    }

    @Test
    void aDirectoryIsUnavailable() {
        TcpScan scan = Fixtures.recordedParser().scan(dir, (a, c, d, e, f, g, h, i, j, k, l) -> { });
        assertFalse(scan.available());
    }

    @Test
    void anEmptyFileHasNoSocketsAndNoErrors() throws IOException {
        Path file = Files.createFile(dir.resolve("tcp"));
        TcpScan scan = Fixtures.recordedParser().scan(file, (a, c, d, e, f, g, h, i, j, k, l) -> { });
        assertTrue(scan.available());
        assertNull(scan.error());
        assertEquals(0, scan.sockets());
        assertEquals(0, scan.malformedLines());
        assertEquals(0, Fixtures.recordedParser().parse(new byte[0], 0, 0, (a, c, d, e, f, g, h, i, j, k, l) -> { })
                .sockets());
    }

    @Test
    void anEndlessFileStopsAtTheLimit() throws IOException {
        Path file = dir.resolve("tcp");
        Files.write(file, new byte[300_000]);
        TcpScan scan = new ProcNetTcpParser(ByteOrder.LITTLE_ENDIAN, 100_000)
                .scan(file, (a, c, d, e, f, g, h, i, j, k, l) -> { });
        assertFalse(scan.available());
        assertTrue(scan.bytes() >= 100_000 && scan.bytes() < 300_000, String.valueOf(scan.bytes()));
    }

    @Test
    void oneParserScansAgainAndAgain() {
        ProcNetTcpParser parser = Fixtures.recordedParser();
        Path tcp6 = Fixtures.procRoot("loopback").resolve("net/tcp6");
        Path malformed = Fixtures.procRoot("malformed").resolve("net/tcp6");
        for (int i = 0; i < 3; i++) {
            assertEquals(9, parser.scan(tcp6, (a, c, d, e, f, g, h, k, j, l, m) -> { }).sockets());
            TcpScan bad = parser.scan(malformed, (a, c, d, e, f, g, h, k, j, l, m) -> { });
            assertEquals(2, bad.sockets());
            assertEquals(8, bad.malformedLines());
        }
    }
}
