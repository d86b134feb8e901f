package io.ephemera.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Set;

/**
 * The agent's jar as a JVM sees it. A JVM opens the jar it is asked to load by its path in its
 * own mount namespace: in a container, this command's path may not exist, or be another file.
 * Then the jar is copied into the JVM's temporary directory (through {@code /proc/<pid>/root}),
 * named by its content's digest, readable by the JVM's user alone and writable by nobody, and
 * that copy is loaded. A copy already there is used only when it is that very content, belongs to
 * the JVM's user or root, and nobody else can write it: no one else's file is ever loaded into the JVM.
 */
final class JarInside {

    private static final Set<PosixFilePermission> NOBODY_ELSE_WRITES =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private JarInside() {
    }

    /** The path by which {@code target} opens {@code jar}: the same path, or a copy inside it. */
    static String pathFor(TargetProcess target, Path jar, Properties properties, User me) {
        Path same = target.pathInside(jar.toString());
        if (sameFile(same, jar)) {
            return jar.toString();
        }
        String digest = digest(jar);
        String tmp = properties.getProperty("java.io.tmpdir", "/tmp");
        String there = Path.of(tmp.startsWith("/") ? tmp : "/tmp", "ephemera-agent-" + digest.substring(0, 16) + ".jar")
                .normalize().toString();
        Path here = target.pathInside(there);
        User owner = target.owner();
        if (Files.exists(here, LinkOption.NOFOLLOW_LINKS)) {
            check(here, digest, owner, target);
            return there;
        }
        Path partial = here.resolveSibling(here.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
        try {
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (InputStream in = Files.newInputStream(jar);
                 OutputStream out = Files.newOutputStream(partial, StandardOpenOption.WRITE,
                         StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                in.transferTo(out);
            }
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("r--------"));
            if (owner != null && owner.uid() != me.uid()) {
                Files.setAttribute(partial, "unix:uid", (int) owner.uid(), LinkOption.NOFOLLOW_LINKS);
            }
            Files.move(partial, here, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // left behind, readable by its owner alone
            }
            throw Failure.failed("JVM " + target.describe() + " cannot see the agent jar at " + jar + " (it runs in "
                    + "another mount namespace, a container) and it could not be copied to " + there + " inside it: " + e);
        }
        check(here, digest, owner, target);
        return there;
    }

    private static void check(Path here, String digest, User owner, TargetProcess target) {
        try {
            PosixFileAttributes a = Files.readAttributes(here, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long uid = ((Number) Files.getAttribute(here, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
            boolean trusted = a.isRegularFile() && (uid == User.ROOT || (owner != null && uid == owner.uid()))
                    && a.permissions().stream().noneMatch(NOBODY_ELSE_WRITES::contains);
            if (!trusted || !digest(here).equals(digest)) {
                throw Failure.failed(here + " is in the way inside JVM " + target.describe() + " and is not this agent "
                        + "jar, or someone else may write it: remove it, or copy the jar into the container yourself "
                        + "and attach from inside");
            }
        } catch (IOException e) {
            throw Failure.failed("cannot check " + here + " inside JVM " + target.describe() + ": " + e);
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isRegularFile(a) && Files.isSameFile(a, b);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static String digest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw Failure.failed("cannot read " + file + ": " + e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
