package io.ephemera.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

/**
 * A Unix user as {@code /proc} shows it: {@code /proc/<pid>} belongs to the process's effective
 * uid, which is what the attach API compares (the JVM lets in its own user and root).
 */
record User(long uid, String name) {

    static final long ROOT = 0;

    /** The owner of {@code /proc/<pid>}; null when it cannot be read (the process is gone). */
    static User owner(Path processDirectory) {
        try {
            Object uid = Files.getAttribute(processDirectory, "unix:uid");
            UserPrincipal owner = Files.getOwner(processDirectory);
            return new User(((Number) uid).longValue(), owner.getName());
        } catch (IOException | UnsupportedOperationException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Who runs this command. */
    static User current() {
        User me = owner(Path.of("/proc/self"));
        return me != null ? me : new User(-1, System.getProperty("user.name", "?"));
    }

    boolean isRoot() {
        return uid == ROOT;
    }

    @Override
    public String toString() {
        return name + " (uid " + uid + ")";
    }
}
