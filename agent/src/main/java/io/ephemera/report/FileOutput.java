package io.ephemera.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * {@code report.file}: appends to a file created with owner-only permissions, and never opens it
 * through a symbolic link (one planted by another user would send the report elsewhere). Reports
 * carry addresses, ports and stacks, never payload bytes.
 */
final class FileOutput implements ReportOutput {

    private final Path path;
    private boolean failedOnce;

    FileOutput(Path path) {
        this.path = path;
    }

    @Override
    public synchronized void write(Level level, String message) {
        if (level == Level.DEBUG) {
            return;
        }
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        try (OutputStream out = Channels.newOutputStream(
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                        ? Files.newByteChannel(path, options,
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                        : Files.newByteChannel(path, options))) {
            out.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            if (!failedOnce) {
                failedOnce = true;
                System.err.println("ephemera: error: cannot write report.file " + path + " (" + e
                        + "); reports are lost until it can be written");
            }
        }
    }

    @Override
    public String describe() {
        return "file " + path;
    }
}
