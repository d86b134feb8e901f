package io.ephemera.cli;

import io.ephemera.agent.AgentCommand;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The file a running agent writes its answer into: created here, empty, readable and writable by
 * the target JVM's user alone, in that JVM's temporary directory as the JVM sees it (through
 * {@code /proc/<pid>/root}, so a JVM in a container of its own is reached as one on the host).
 * Deleted on close.
 */
final class ReplyFile implements AutoCloseable {

    /** An answer larger than this is refused: the report of a JVM is a few hundred KB at most. */
    private static final int MAX_BYTES = 64 << 20;

    private final Path here;
    private final String there;

    private ReplyFile(Path here, String there) {
        this.here = here;
        this.there = there;
    }

    /**
     * Creates the file for {@code target}, owned by its user.
     *
     * @param properties the target's system properties: {@code java.io.tmpdir} is where it goes
     */
    static ReplyFile create(TargetProcess target, Properties properties, User me) {
        String tmp = properties.getProperty("java.io.tmpdir", "/tmp");
        if (!tmp.startsWith("/")) {
            tmp = "/tmp";
        }
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        String name = ".ephemera-reply-" + target.pid() + "-" + HexFormat.of().formatHex(random);
        String there = Path.of(tmp, name).normalize().toString();
        Path here = target.pathInside(there);
        try {
            Files.createFile(here, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw Failure.failed("cannot create the file JVM " + target.describe() + " answers into, " + here
                    + " (its java.io.tmpdir " + tmp + "): " + e);
        }
        ReplyFile file = new ReplyFile(here, there);
        User owner = target.owner();
        if (owner != null && owner.uid() != me.uid()) {
            try {
                Files.setAttribute(here, "unix:uid", (int) owner.uid(), LinkOption.NOFOLLOW_LINKS);
                Object gid = Files.getAttribute(target.directory(), "unix:gid");
                Files.setAttribute(here, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException | RuntimeException e) {
                file.close();
                throw Failure.failed("cannot give " + here + " to user " + owner + ", who runs JVM "
                        + target.describe() + ": " + e);
            }
        }
        return file;
    }

    /** The path as the target JVM sees it. */
    String there() {
        return there;
    }

    /**
     * The answer, once the agent has written it.
     *
     * @param what for messages: the JVM and the agent's version
     */
    String read(String what) {
        String text;
        try (InputStream in = Files.newInputStream(here, LinkOption.NOFOLLOW_LINKS)) {
            byte[] b = in.readNBytes(MAX_BYTES + 1);
            if (b.length > MAX_BYTES) {
                throw Failure.failed("the answer of " + what + " is larger than " + (MAX_BYTES >> 20) + " MiB: refused");
            }
            text = new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw Failure.failed("cannot read the answer of " + what + " from " + here + ": " + e);
        }
        if (text.isEmpty()) {
            throw Failure.failed(what + " did not answer (an agent older than this command, or see that JVM's stderr "
                    + "for the line starting with 'ephemera:')");
        }
        int eol = text.indexOf('\n');
        String status = eol < 0 ? text : text.substring(0, eol);
        if (status.equals(AgentCommand.REPLY_MAGIC + " ok")) {
            return text.substring(eol + 1);
        }
        String prefix = AgentCommand.REPLY_MAGIC + " error ";
        if (status.startsWith(prefix)) {
            throw Failure.failed(what + " could not answer: " + status.substring(prefix.length()));
        }
        throw Failure.failed(what + " answered something this command does not understand: "
                + Failure.oneLine(status.length() > 120 ? status.substring(0, 120) + "..." : status));
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(here);
        } catch (IOException e) {
            // left in the JVM's temporary directory: empty or a report, readable by its user alone
        }
    }
}
