package io.ephemera.kernel;

import io.ephemera.config.Config;
import io.ephemera.track.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole census over a damaged {@code /proc}: every file it reads ({@code net/tcp{,6}}, the
 * counters, the sysctls) replaced, from a fixed seed, by random bytes, a mutated recording, a huge
 * line, nothing, a directory, a dangling link, a FIFO, a device or an unreadable file. The census
 * never throws, never blocks, and counts the lines it skipped.
 */
class CensusFuzzTest {

    private static final long SEED = 0xCE45_05L;
    private static final List<String> FILES = List.of("net/tcp", "net/tcp6", "net/sockstat", "net/netstat",
            "sys/net/ipv4/ip_local_port_range", "sys/net/ipv4/ip_local_reserved_ports", "sys/net/ipv4/tcp_tw_reuse",
            "sys/net/ipv4/tcp_tw_reuse_delay", "sys/net/ipv4/tcp_timestamps", "sys/net/ipv4/tcp_max_tw_buckets");

    @TempDir
    Path dir;

    private static Census census(Path procRoot, List<String> log) {
        return new Census(procRoot, 100, new Tracker(Config.defaults(), null), log::add);
    }

    private static Path fifo(Path at) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", at.toString()).inheritIO().start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo");
        return at;
    }

    private static byte[] damaged(byte[] recorded, Random random) {
        byte[] b = Arrays.copyOf(recorded, recorded.length);
        for (int e = 0; e < 1 + random.nextInt(10) && b.length > 0; e++) {
            int at = random.nextInt(b.length);
            if (random.nextBoolean()) {
                b[at] = (byte) random.nextInt(256);
            } else {
                b = Arrays.copyOf(b, at); // truncated, mid-line
            }
        }
        return b;
    }

    @Test
    void aDamagedProcNeitherThrowsNorBlocks() throws Exception {
        Path recorded = Fixtures.procRoot("loopback");
        Path fifo = fifo(dir.resolve("fifo")); // no writer ever: opening it for reading blocks
        Random random = new Random(SEED);
        List<String> log = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 60; round++) {
                Path root = Files.createDirectory(dir.resolve("proc" + round));
                for (String name : FILES) {
                    Path file = root.resolve(name);
                    Files.createDirectories(file.getParent());
                    byte[] original = Files.exists(recorded.resolve(name)) ? Files.readAllBytes(recorded.resolve(name))
                            : "0\n".getBytes(StandardCharsets.US_ASCII);
                    switch (random.nextInt(10)) {
                        case 0 -> Files.write(file, original);
                        case 1 -> {
                            byte[] b = new byte[random.nextInt(16_384)];
                            random.nextBytes(b);
                            Files.write(file, b);
                        }
                        case 2 -> Files.write(file, damaged(original, random));
                        case 3 -> Files.writeString(file, "1".repeat(100_000 + random.nextInt(1_000_000)));
                        case 4 -> { } // missing
                        case 5 -> Files.createDirectory(file);
                        case 6 -> Files.createSymbolicLink(file, dir.resolve("nowhere"));
                        case 7 -> Files.createSymbolicLink(file, fifo);
                        case 8 -> Files.createSymbolicLink(file, Path.of("/dev/zero"));
                        default -> {
                            Files.write(file, original);
                            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
                        }
                    }
                }
                Census census = census(root, log);
                KernelView view = census.scan();
                assertTrue(view.sockets() >= 0 && view.malformedLines() >= 0, "round " + round);
                assertTrue(view.available() || view.unavailableReason() != null, "round " + round);
                SockStat.read(root); // the census's light pass
            }
        }, "the census blocked or looped on a damaged /proc");
    }

    @Test
    void aFifoInPlaceOfEveryFileIsUnavailableNotAHang() throws Exception {
        Path root = dir.resolve("proc");
        for (String name : FILES) {
            Files.createDirectories(root.resolve(name).getParent());
            fifo(root.resolve(name));
        }
        KernelView view = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> census(root, new ArrayList<>()).scan(),
                "reading a FIFO blocked the census");
        assertFalse(view.available());
        assertEquals(-1, assertTimeoutPreemptively(Duration.ofSeconds(10), () -> SockStat.read(root).timeWait()));
    }

    @Test
    void skippedLinesAreCounted() throws IOException {
        Path root = dir.resolve("proc");
        Path recorded = Fixtures.procRoot("loopback");
        for (String name : FILES) {
            Files.createDirectories(root.resolve(name).getParent());
            Files.copy(recorded.resolve(name), root.resolve(name));
        }
        int clean = census(root, new ArrayList<>()).scan().sockets();
        Files.writeString(root.resolve("net/tcp6"), "garbage\n" + "x".repeat(100_000) + "\n   7: 0100007F:\n",
                java.nio.file.StandardOpenOption.APPEND);
        KernelView view = census(root, new ArrayList<>()).scan();
        assertEquals(clean, view.sockets());
        assertEquals(3, view.malformedLines());
    }

    @Test
    void memoryStaysBoundedWhateverTheFileSize() throws IOException {
        StringBuilder line = new StringBuilder();
        Random random = new Random(SEED);
        for (int i = 0; i < 1_000; i++) {
            line.append((char) ('0' + random.nextInt(75)));
        }
        Path file = dir.resolve("tcp6");
        try (var out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            for (int i = 0; i < 20_000; i++) { // 20 MB of 1,000-byte garbage lines
                out.write(line.toString());
                out.write('\n');
            }
        }
        ProcNetTcpParser parser = new ProcNetTcpParser();
        parser.scan(file, (a, b, c, d, e, f, g, h, i, j, k) -> { }); // allocates its one buffer
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        TcpScan scan = parser.scan(file, (a, b, c, d, e, f, g, h, i, j, k) -> { });
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(20_000, scan.malformedLines());
        assertTrue(allocated < 256 * 1024, "scanning 20 MB allocated " + allocated + " bytes");
    }
}
