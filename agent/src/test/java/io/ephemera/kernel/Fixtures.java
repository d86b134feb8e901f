package io.ephemera.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The recorded proc roots under {@code src/test/resources/proc} (see the README there). */
public final class Fixtures {

    private Fixtures() {
    }

    /** A proc root such as {@code loopback}: what {@code /proc} is to the code under test. */
    public static Path procRoot(String name) {
        URL url = Fixtures.class.getResource("/proc/" + name);
        if (url == null) {
            throw new IllegalStateException("no fixture proc/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String procRoot, String file) {
        try {
            return Files.readAllBytes(procRoot(procRoot).resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixtures were recorded on x86-64: parse them as little-endian whatever the test host. */
    static ProcNetTcpParser recordedParser() {
        return new ProcNetTcpParser(ByteOrder.LITTLE_ENDIAN);
    }

    /** Sockets of {@code text}, and the scan summary in {@code scan[0]}. */
    static List<KernelSocket> parse(String text, TcpScan[] scan) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        List<KernelSocket> out = new ArrayList<>();
        scan[0] = recordedParser().parse(b, 0, b.length, ProcNetTcpParser.collectInto(out));
        return out;
    }
}
