package io.ephemera.cli;

import io.ephemera.jmx.ConnectionAuditMXBean;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code report <pid> [--json]}: the findings of the agent running in another JVM, read from its
 * MXBean through the JVM's local JMX connector (started through the attach API if it is not
 * running). Reads only: nothing is loaded and nothing is reset.
 */
final class ReportCommand implements Command {

    /** The agent registers its MXBean from its own thread, just after it starts. */
    private static final long REGISTRATION_WAIT_MILLIS = 10_000;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Args a = Args.parse("report", args, Set.of("--json"), Set.of()).expect(1, 1, "the process id");
        long pid = a.pid(0);
        TargetProcess target = TargetProcess.of(pid);
        String address;
        String version;
        try (Attachment at = Attachment.open(target, User.current(), "its findings are in its log (report.interval) "
                + "or in its report.file")) {
            version = at.agentVersion();
            if (version == null) {
                throw Failure.failed("ephemera is not loaded in JVM " + target.describe() + ": load it first with: "
                        + "java -jar " + AgentJar.forMessages() + " attach " + pid);
            }
            requireSameNetworkNamespace(target);
            address = at.localJmxAddress();
        }
        String text = read(target, version, address, a.flag("--json") ? "reportJson" : "report");
        out.print(text);
        if (!text.endsWith("\n")) {
            out.println();
        }
        return Exit.OK;
    }

    /**
     * The local JMX connector listens on the JVM's own loopback: from another network namespace (a
     * container's) it cannot be reached, though the attach API, which goes through the file system,
     * can. Checked before the connector is started, so nothing is left open in vain.
     */
    private static void requireSameNetworkNamespace(TargetProcess target) {
        String theirs = target.networkNamespace();
        String ours = TargetProcess.ownNetworkNamespace();
        if (theirs != null && ours != null && !theirs.equals(ours)) {
            throw Failure.failed("JVM " + target.describe() + " runs in another network namespace (" + theirs
                    + "; this command runs in " + ours + "), where its JMX connector listens on its own loopback: "
                    + "run the command inside it, e.g. nsenter --net=/proc/" + target.pid() + "/ns/net java -jar "
                    + AgentJar.forMessages() + " report " + target.pid());
        }
    }

    private static String read(TargetProcess target, String version, String address, String operation) {
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName(ConnectionAuditMXBean.OBJECT_NAME);
            awaitRegistered(server, name, target, version);
            Object result = server.invoke(name, operation, new Object[0], new String[0]);
            return String.valueOf(result);
        } catch (IOException e) {
            throw Failure.failed("cannot read JVM " + target.describe() + " over its local JMX connector: " + e);
        } catch (JMException e) {
            throw Failure.failed("the MXBean " + ConnectionAuditMXBean.OBJECT_NAME + " of JVM " + target.describe()
                    + " failed in " + operation + "(): " + (e.getCause() != null ? e.getCause() : e));
        }
    }

    private static void awaitRegistered(MBeanServerConnection server, ObjectName name, TargetProcess target,
                                        String version) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REGISTRATION_WAIT_MILLIS);
        while (!server.isRegistered(name)) {
            if (System.nanoTime() - deadline > 0) {
                throw Failure.failed("ephemera " + version + " is loaded in JVM " + target.describe()
                        + " but its MXBean " + name + " is not registered: see that JVM's stderr for the line "
                        + "starting with 'ephemera:'");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Failure.failed("interrupted");
            }
        }
    }
}
