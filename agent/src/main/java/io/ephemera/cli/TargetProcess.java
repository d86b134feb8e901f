package io.ephemera.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What {@code /proc/<pid>} says of a process before anything talks to it: whether it exists, whose
 * it is, whether it is a JVM, and the JVM flags on its command line and in its environment. Reads
 * only; sends nothing (the attach API signals its target, which would kill a process that is not a
 * JVM, so that is checked first).
 */
final class TargetProcess {

    /** Environment variables the JVM (or its launcher) reads options from. */
    private static final List<String> OPTION_VARIABLES =
            List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
    /** A JVM's {@code maps} is a few hundred KB; no process's is larger than this in practice. */
    private static final long MAX_MAPS_LINES = 1_000_000;

    private final long pid;
    private final Path dir;

    TargetProcess(Path procRoot, long pid) {
        this.pid = pid;
        this.dir = procRoot.resolve(Long.toString(pid));
    }

    static TargetProcess of(long pid) {
        return new TargetProcess(Path.of("/proc"), pid);
    }

    long pid() {
        return pid;
    }

    /** {@code /proc/<pid>}. */
    Path directory() {
        return dir;
    }

    /**
     * A path as the process sees it ({@code /tmp/x} in its own mount namespace, a container's
     * file system included), as this command reaches it: through {@code /proc/<pid>/root}, which
     * only the process's user and root may follow, or as it is when that cannot be followed and
     * both run in one mount namespace.
     */
    Path pathInside(String absolute) {
        Path root = dir.resolve("root");
        String relative = absolute.replaceFirst("^/+", "");
        if (Files.isDirectory(root)) {
            return root.resolve(relative);
        }
        String theirs = link(dir.resolve("ns/mnt"));
        if (theirs != null && theirs.equals(link(dir.getParent().resolve("self/ns/mnt")))) {
            return Path.of(absolute);
        }
        throw Failure.failed("cannot reach the files of process " + describe() + " (" + root
                + " cannot be followed): run this command as that process's user or as root");
    }

    /**
     * The process's pid in each PID namespace it belongs to, outermost first
     * ({@code NSpid} in {@code /proc/<pid>/status}); just this pid when the kernel does not say.
     */
    List<Long> namespacePids() {
        String status = read(dir.resolve("status"), 1 << 16);
        if (status != null) {
            for (String line : status.split("\n")) {
                if (line.startsWith("NSpid:")) {
                    List<Long> pids = new ArrayList<>();
                    for (String w : line.substring("NSpid:".length()).trim().split("\\s+")) {
                        if (Numbers.digits(w, 10)) {
                            pids.add(Long.parseLong(w));
                        }
                    }
                    if (!pids.isEmpty()) {
                        return pids;
                    }
                }
            }
        }
        return List.of(pid);
    }

    /**
     * Whether the process maps the JVM performance-data file named {@code hsperfdata_<user>/<id>}:
     * the file by which the attach API lists a JVM under {@code id}. A JVM in a PID namespace of
     * its own names that file by its pid there (often 1), so the attach API's list holds ids that
     * are another process here; this tells them apart. Null when the maps cannot be read.
     */
    Boolean mapsPerfData(String id) {
        String suffix = "/" + id;
        return anyMap(line -> {
            int slash = line.lastIndexOf("/hsperfdata_");
            return slash >= 0 && line.endsWith(suffix) && line.indexOf('/', slash + 1) == line.length() - suffix.length();
        });
    }

    boolean exists() {
        return Files.isDirectory(dir);
    }

    /** The process's (effective) user; null when it is gone. */
    User owner() {
        return User.owner(dir);
    }

    /** {@code comm}: the executable's name, at most 15 characters; "?" when unreadable. */
    String command() {
        String comm = read(dir.resolve("comm"), 4096);
        return comm == null ? "?" : comm.strip();
    }

    /** The command line, word by word; empty when unreadable (or a kernel thread). */
    List<String> argv() {
        return nulSeparated(read(dir.resolve("cmdline"), 1 << 20));
    }

    /**
     * TRUE when {@code libjvm.so} is mapped, FALSE when the maps say otherwise, null when they
     * cannot be read (another user's process).
     */
    Boolean isJvm() {
        return anyMap(line -> line.endsWith("/libjvm.so") || line.contains("/libjvm.so "));
    }

    /**
     * Whether a line of {@code maps} matches: TRUE or FALSE, or null when the maps cannot be read
     * (another user's process).
     */
    private Boolean anyMap(java.util.function.Predicate<String> match) {
        try (BufferedReader in = Files.newBufferedReader(dir.resolve("maps"), StandardCharsets.ISO_8859_1)) {
            String line;
            for (long n = 0; n < MAX_MAPS_LINES && (line = in.readLine()) != null; n++) {
                if (match.test(line)) {
                    return Boolean.TRUE;
                }
            }
            return Boolean.FALSE;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /**
     * The last setting of a boolean {@code -XX} flag seen on the command line or in the option
     * variables of the process's initial environment: TRUE for {@code -XX:+name}, FALSE for
     * {@code -XX:-name}, null when neither appears. Options files ({@code @argfiles},
     * {@code -XX:Flags}) are not read.
     */
    Boolean flag(String name) {
        return lastFlag(jvmWords(), name);
    }

    static Boolean lastFlag(List<String> words, String name) {
        Boolean value = null;
        for (String w : words) {
            if (w.equals("-XX:+" + name)) {
                value = Boolean.TRUE;
            } else if (w.equals("-XX:-" + name)) {
                value = Boolean.FALSE;
            }
        }
        return value;
    }

    /** The option variables (read first by the JVM), then the command line. */
    private List<String> jvmWords() {
        List<String> words = new ArrayList<>();
        for (String entry : nulSeparated(read(dir.resolve("environ"), 1 << 20))) {
            for (String variable : OPTION_VARIABLES) {
                if (entry.startsWith(variable + "=")) {
                    Collections.addAll(words, entry.substring(variable.length() + 1).trim().split("\\s+"));
                }
            }
        }
        words.addAll(argv());
        return words;
    }

    static List<String> nulSeparated(String text) {
        List<String> words = new ArrayList<>();
        if (text != null) {
            for (String w : text.split("\0")) {
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
        }
        return words;
    }

    /** A small file's text (UTF-8), or null when missing, unreadable or larger than {@code max}. */
    private static String read(Path file, int max) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(max + 1);
            return b.length > max ? null : new String(b, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** {@code net:[4026531840]}: its network namespace; null when it cannot be read. */
    String networkNamespace() {
        return link(dir.resolve("ns/net"));
    }

    /** This command's own network namespace; null when it cannot be read. */
    static String ownNetworkNamespace() {
        return link(Path.of("/proc/self/ns/net"));
    }

    private static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** {@code 1234 (java io.acme.Main)}: for messages. */
    String describe() {
        String summary = Argv.summary(argv());
        return pid + " (" + (summary.isEmpty() ? command() : summary) + ")";
    }
}
