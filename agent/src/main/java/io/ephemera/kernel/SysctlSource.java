package io.ephemera.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where the {@code net.ipv4} sysctls of a network namespace are read from. {@code /proc/sys/net}
 * shows the namespace of the process that reads it, whatever process's {@code /proc} it is under:
 * the sysctls of another namespace are read from inside it ({@link #nsenter}), or not at all
 * ({@link #unavailable}), never from this one's files in their place.
 */
public abstract class SysctlSource {

    /**
     * One file: its text, or why there is none.
     *
     * @param text    the file's text, or null
     * @param missing true when the file does not exist (a sysctl this kernel does not have)
     * @param problem why {@code text} is null: {@code missing}, {@code unreadable}, or a reason
     */
    record Read(String text, boolean missing, String problem) {
        static Read of(String text) {
            return new Read(text, false, null);
        }

        static Read absent() {
            return new Read(null, true, "missing");
        }

        static Read failed(String problem) {
            return new Read(null, false, problem);
        }
    }

    SysctlSource() {
    }

    /** The file {@code net/ipv4/<name>}. */
    abstract Read read(String name);

    /** How the values were read, for the doctor's first line; null for the reader's own files. */
    public abstract String how();

    /** The files under {@code <procRoot>/sys/net/ipv4}: the namespace of whoever reads them. */
    public static SysctlSource files(Path procRoot) {
        Path ipv4 = procRoot.resolve("sys/net/ipv4");
        return new SysctlSource() {
            @Override
            Read read(String name) {
                Path file = ipv4.resolve(name);
                String text = ProcFiles.readOrNull(file, ProcFiles.MAX_SMALL_FILE);
                if (text != null) {
                    return Read.of(text);
                }
                return Files.exists(file) || Files.isSymbolicLink(file) ? Read.failed("unreadable") : Read.absent();
            }

            @Override
            public String how() {
                return null;
            }
        };
    }

    /** Nothing can be read, for {@code reason}: every sysctl is unknown. */
    public static SysctlSource unavailable(String reason) {
        return new SysctlSource() {
            @Override
            Read read(String name) {
                return Read.failed(reason);
            }

            @Override
            public String how() {
                return "its sysctls could not be read: " + reason;
            }
        };
    }

    /**
     * The sysctls of process {@code pid}'s network namespace, read by one
     * {@code nsenter --net=/proc/<pid>/ns/net} that prints each file (util-linux; entering a
     * namespace needs CAP_SYS_ADMIN, so root). It runs once, on the first read, and is stopped
     * after {@code timeoutMillis}; when it fails every value is unknown, with its reason.
     */
    public static SysctlSource nsenter(long pid, long timeoutMillis) {
        return new Nsenter(pid, timeoutMillis);
    }

    /** The shell loop nsenter runs: one line per file, {@code name =value}, {@code name missing} or {@code name unreadable}. */
    static final String SCRIPT = "cd /proc/sys/net/ipv4 || exit 3; for f; do if [ ! -e \"$f\" ]; then echo \"$f missing\"; "
            + "elif v=$(cat -- \"$f\" 2>/dev/null); then printf '%s =%s\\n' \"$f\" \"$v\"; else echo \"$f unreadable\"; fi; done";

    private static final class Nsenter extends SysctlSource {
        private final long pid;
        private final long timeoutMillis;
        private Map<String, Read> values;
        private String failure;

        Nsenter(long pid, long timeoutMillis) {
            this.pid = pid;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        synchronized Read read(String name) {
            if (values == null) {
                values = run();
            }
            Read r = values.get(name);
            return r != null ? r : Read.failed(failure != null ? failure : "not printed by nsenter");
        }

        @Override
        public synchronized String how() {
            if (values == null) {
                values = run();
            }
            return failure == null ? "sysctls read with nsenter --net=/proc/" + pid + "/ns/net"
                    : "its sysctls could not be read: " + failure;
        }

        private Map<String, Read> run() {
            List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=/proc/" + pid + "/ns/net", "--", "sh", "-c",
                    SCRIPT, "sh"));
            cmd.addAll(Sysctls.NAMES);
            Map<String, Read> out = new HashMap<>();
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                p.getOutputStream().close();
                // the output is a few hundred bytes: the pipe never fills, so reading after the wait is safe
                if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    failure = "nsenter did not finish within " + timeoutMillis + " ms";
                    return out;
                }
                String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    String first = text.lines().findFirst().orElse("exit " + p.exitValue()).strip();
                    failure = (isRoot() ? "" : "not root (entering a network namespace needs CAP_SYS_ADMIN): ")
                            + first;
                    return out;
                }
                parse(text, out);
            } catch (IOException e) {
                failure = "cannot run nsenter (util-linux): " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = "interrupted";
            }
            return out;
        }
    }

    /** Parses the lines of {@link #SCRIPT}. */
    static void parse(String text, Map<String, Read> out) {
        for (String line : ProcFiles.lines(text)) {
            int space = line.indexOf(' ');
            if (space <= 0) {
                continue;
            }
            String name = line.substring(0, space);
            String rest = line.substring(space + 1);
            if (!Sysctls.NAMES.contains(name) || out.containsKey(name)) {
                continue;
            }
            if (rest.startsWith("=")) {
                out.put(name, Read.of(rest.substring(1)));
            } else if (rest.equals("missing")) {
                out.put(name, Read.absent());
            } else {
                out.put(name, Read.failed("unreadable"));
            }
        }
    }

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0;
        } catch (IOException | UnsupportedOperationException | SecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
