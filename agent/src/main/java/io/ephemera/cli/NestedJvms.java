package io.ephemera.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JVMs in a PID namespace of their own (a container, {@code unshare --pid}), as this command sees
 * them. Such a JVM names its perf-data file ({@code /tmp/hsperfdata_<user>/<id>}) and its attach
 * socket ({@code /tmp/.java_pid<id>}) by its pid inside its namespace, often 1. Where its {@code /tmp}
 * is this command's too, the attach API lists it under that id and answers for it under that id,
 * though the process with that pid here is another one. This finds those ids, from {@code /proc}:
 * a JVM whose innermost pid differs from its pid here and whose perf-data file is the very file
 * this command sees under that id.
 */
final class NestedJvms {

    private final Map<Long, Long> byInnerId;

    private NestedJvms(Map<Long, Long> byInnerId) {
        this.byInnerId = byInnerId;
    }

    /** The nested JVMs among the java processes of {@code /proc}. */
    static NestedJvms scan() {
        return scan(Path.of("/proc"), Path.of("/tmp"), ListCommand.javaProcesses(Path.of("/proc")));
    }

    static NestedJvms scan(Path procRoot, Path tmp, List<Long> javaPids) {
        Map<Long, Long> found = new HashMap<>();
        for (long pid : javaPids) {
            TargetProcess p = new TargetProcess(procRoot, pid);
            List<Long> ids = p.namespacePids();
            long inner = ids.get(ids.size() - 1);
            if (inner == pid) {
                continue;
            }
            for (Path dir : perfDataDirectories(tmp)) {
                Path ours = dir.resolve(Long.toString(inner));
                Path theirs = p.directory().resolve("root").resolve("tmp").resolve(dir.getFileName())
                        .resolve(Long.toString(inner));
                if (sameFile(ours, theirs)) {
                    found.put(inner, pid);
                }
            }
        }
        return new NestedJvms(found);
    }

    /**
     * The pid here of the nested JVM that the attach API lists, and answers for, under {@code id};
     * null when {@code id} is no such alias.
     */
    Long aliasOf(long id) {
        return byInnerId.get(id);
    }

    private static List<Path> perfDataDirectories(Path tmp) {
        List<Path> dirs = new java.util.ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(tmp, "hsperfdata_*")) {
            for (Path d : s) {
                dirs.add(d);
            }
        } catch (IOException | RuntimeException e) {
            // no perf data visible here: no alias either
        }
        return dirs;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
