package io.ephemera.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The jar this command runs from: the one {@code attach} loads, and the one messages name. */
final class AgentJar {

    private AgentJar() {
    }

    /** The jar's absolute path; fails when the classes do not come from a jar (an IDE, the tests). */
    static Path locate() {
        Path p = location();
        if (p == null || !Files.isRegularFile(p)) {
            throw Failure.failed("cannot find the agent jar (running from " + p + "): run this command as "
                    + "java -jar ephemera-agent.jar");
        }
        return p;
    }

    /** The jar's path for messages, or {@code ephemera-agent.jar} when not run from a jar. */
    static String forMessages() {
        Path p = location();
        return p != null && Files.isRegularFile(p) ? p.toString() : "ephemera-agent.jar";
    }

    private static Path location() {
        try {
            return Path.of(AgentJar.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (Exception e) {
            return null;
        }
    }
}
