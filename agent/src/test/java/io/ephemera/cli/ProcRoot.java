package io.ephemera.cli;

import io.ephemera.kernel.Fixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Proc roots for the doctor's tests: the recorded ones under {@code src/test/resources/proc} (see
 * the README there) and made-up ones written line by line in the kernel's exact format.
 */
final class ProcRoot {

    static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    static final int LISTEN = 0x0A;
    static final int ESTABLISHED = 0x01;
    static final int TIME_WAIT = 0x06;
    static final int CLOSE_WAIT = 0x08;

    private final Path root;
    private final StringBuilder tcp = new StringBuilder(HEADER);
    private final StringBuilder tcp6 = new StringBuilder(HEADER);
    private int lines;

    ProcRoot(Path root) {
        this.root = root;
    }

    /** A recorded proc root such as {@code loopback}. */
    static Path recorded(String name) {
        return Fixtures.procRoot(name);
    }

    /** The recordings were made on x86-64; the parser reads the host's byte order. */
    static void assumeLittleEndian() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "skipped: recorded on a little-endian kernel");
    }

    ProcRoot sysctl(String name, String value) {
        return file("sys/net/ipv4/" + name, value + "\n");
    }

    ProcRoot file(String relative, String text) {
        try {
            Path p = root.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** One socket; IPv6 addresses go to {@code tcp6}. {@code whenTicks} is {@code tm->when} in 1/100 s. */
    ProcRoot socket(String local, int localPort, String remote, int remotePort, int state, long whenTicks, long inode) {
        InetAddress l = address(local);
        boolean v6 = l.getAddress().length == 16;
        int timer = state == TIME_WAIT ? 3 : 0;
        String line = String.format(Locale.ROOT, "%4d: %s:%04X %s:%04X %02X 00000000:00000000 %02X:%08X 00000000 %5d "
                        + "       0 %d 1 0000000000000000 20 4 30 10 -1\n", lines++, hex(l), localPort,
                hex(address(remote)), remotePort, state, timer, whenTicks, state == TIME_WAIT ? 0 : 1000, inode);
        (v6 ? tcp6 : tcp).append(line);
        return this;
    }

    /** A process with a command line and descriptors linking to the given socket inodes. */
    ProcRoot process(long pid, String comm, String cmdline, long... inodes) {
        file(pid + "/comm", comm + "\n");
        file(pid + "/cmdline", cmdline.replace(' ', '\0') + "\0");
        try {
            Path fd = Files.createDirectories(root.resolve(pid + "/fd"));
            Files.createSymbolicLink(fd.resolve("0"), Path.of("pipe:[4026531]")); // not a socket
            for (int i = 0; i < inodes.length; i++) {
                Files.createSymbolicLink(fd.resolve(Integer.toString(i + 3)), Path.of("socket:[" + inodes[i] + "]"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes the socket tables; returns the root. */
    Path write() {
        file("net/tcp", tcp.toString());
        file("net/tcp6", tcp6.toString());
        return root;
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each 32-bit word of the address in network order, printed as a little-endian host integer. */
    private static String hex(InetAddress a) {
        byte[] b = a.getAddress();
        StringBuilder s = new StringBuilder();
        for (int w = 0; w < b.length; w += 4) {
            for (int i = 3; i >= 0; i--) {
                s.append(String.format(Locale.ROOT, "%02X", b[w + i] & 0xff));
            }
        }
        return s.toString();
    }
}
