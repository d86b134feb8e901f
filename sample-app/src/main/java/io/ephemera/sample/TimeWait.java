package io.ephemera.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the kernel itself shows, for the demo to print beside what the agent says: the TIME_WAIT
 * sockets on one local port, from {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
 */
final class TimeWait {

    private static final String TIME_WAIT = "06";

    private TimeWait() {
    }

    /** TIME_WAIT sockets whose local port is {@code port}; -1 where /proc cannot be read. */
    static long onLocalPort(int port) {
        long n = 0;
        boolean read = false;
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try (var lines = Files.lines(Path.of(file))) {
                read = true;
                // "  sl  local_address rem_address   st ...": local is ADDR:PORT in hex, st is the state
                n += lines.skip(1).map(String::trim).map(l -> l.split("\\s+"))
                        .filter(f -> f.length > 3 && f[3].equals(TIME_WAIT))
                        .filter(f -> Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16) == port)
                        .count();
            } catch (IOException | RuntimeException e) {
                // not Linux, or not readable here
            }
        }
        return read ? n : -1;
    }
}
