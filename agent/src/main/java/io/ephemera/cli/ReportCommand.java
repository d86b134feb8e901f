package io.ephemera.cli;

import io.ephemera.agent.AgentCommand;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;

/**
 * {@code report <pid> [--json]}: the findings of the agent running in another JVM, asked through
 * the JVM's attach channel (a Unix socket only the JVM's user and root may use): the agent's jar is
 * loaded there again with a request, and the running agent writes its report into an owner-only
 * file this command created. No TCP port is used, so it works on a host that has none left, and
 * nothing is left listening or running in the JVM. Reads only: nothing is reset.
 */
final class ReportCommand implements Command {

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Args a = Args.parse("report", args, Set.of("--json"), Set.of()).expect(1, 1, "the process id");
        long pid = a.pid(0);
        TargetProcess target = TargetProcess.of(pid);
        User me = User.current();
        String text;
        try (Attachment at = Attachment.open(target, me, "its findings are in its log (report.interval) "
                + "or in its report.file")) {
            String version = at.agentVersion();
            if (version == null) {
                throw Failure.failed("ephemera is not loaded in JVM " + target.describe() + ": load it first with: "
                        + "java -jar " + AgentJar.forMessages() + " attach " + pid);
            }
            String jar = agentJar(at, target, version);
            try (ReplyFile reply = ReplyFile.create(target, at.properties(), me)) {
                at.request(jar, AgentCommand.request("report", a.flag("--json"), reply.there()));
                text = reply.read("ephemera " + version + " in JVM " + target.describe());
            }
        }
        out.print(text);
        if (!text.endsWith("\n")) {
            out.println();
        }
        return Exit.OK;
    }

    /**
     * The jar to load there: the running agent's own, by the path that JVM knows it by (it sets
     * {@code ephemera.agent.jar}); a JVM whose agent does not say is asked with this command's jar.
     */
    private static String agentJar(Attachment at, TargetProcess target, String version) {
        String theirs = at.properties().getProperty("ephemera.agent.jar");
        if (theirs != null && theirs.startsWith("/")) {
            if (!Files.isRegularFile(target.pathInside(theirs))) {
                throw Failure.failed("ephemera " + version + " runs in JVM " + target.describe() + " from " + theirs
                        + ", which is no longer there: it cannot be asked (its findings are in its log, "
                        + "report.interval, or in its report.file)");
            }
            return theirs;
        }
        return AgentJar.locate().toString();
    }
}
