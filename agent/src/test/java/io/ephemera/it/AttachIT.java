package io.ephemera.it;

import com.sun.tools.attach.VirtualMachine;
import io.ephemera.it.app.AuditDump;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent loaded into a running JVM, and its MXBean read from another JVM. */
class AttachIT {

    private static final String WORKLOAD = "io.ephemera.it.app.Workload";

    static ForkedJvm target() {
        ForkedJvm j = ForkedJvm.withoutAgent();
        if (Runtime.version().feature() >= 21) {
            j.jvmArg("-XX:+EnableDynamicAgentLoading");
        }
        return j;
    }

    /** Loads the built agent into JVM {@code pid} through the attach API, as a tool would. */
    static void load(String pid, String options) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            vm.loadAgent(ForkedJvm.AGENT_JAR.toString(), options);
        } finally {
            vm.detach();
        }
    }

    private static String pid(String readyLine) {
        return readyLine.split("\t")[1].trim();
    }

    @Test
    void attachedAgentCountsWhatFollowsAndNeverGoesNegative() throws Exception {
        try (ForkedJvm.Running app = target().start(WORKLOAD, "attachTarget")) {
            String pid = pid(app.awaitLine("READY", 30));
            load(pid, "jmx.rows=50");
            app.send("GO");
            ForkedJvm.Result r = app.finish(60);
            Audit a = r.audit();
            assertTrue(r.err.contains("ephemera: attached"), r.err);
            assertEquals(3, a.count("ConnectCount"), "only connects after the attach");
            assertEquals(3, a.siteCount("io.ephemera.it.app.Workload.afterAttach(", "connects"));
            // the pre-attach connection closed after the attach is not a close without a connect
            assertEquals(a.count("ConnectCount") + a.count("AcceptCount") - a.count("OpenConnections"),
                    a.count("CloseCount"));
            assertTrue(a.count("OpenConnections") >= 0);
            a.rows("CallSites").values().forEach(row -> assertTrue(Long.parseLong(row.get("open")) >= 0, row.toString()));
            assertEquals("", a.attributes.get("MissingHooks"));
        }
    }

    @Test
    void connectionsOpenBeforeTheAttachArePreexistingNotUnseen() throws Exception {
        try (ForkedJvm.Running app = target().start(WORKLOAD, "attachHeld")) {
            String pid = pid(app.awaitLine("READY", 30));
            load(pid, "census.interval=500ms");
            app.send("GO");
            Audit a = app.finish(90).audit();
            assertEquals(1, a.count("PreexistingConnections"), "the socket opened before the attach");
            assertEquals(0, a.count("UnseenConnections"));
            assertEquals(0, a.count("ConnectCount"));
        }
    }

    @Test
    void attachingTwiceIsRefusedWithAClearMessage() throws Exception {
        try (ForkedJvm.Running app = target().start(WORKLOAD, "attachTarget")) {
            String pid = pid(app.awaitLine("READY", 30));
            List<String> outputs = new java.util.ArrayList<>();
            List<Integer> exits = new java.util.ArrayList<>();
            for (String options : List.of("", "stack.depth=4")) {
                Process cli = new ProcessBuilder(ForkedJvm.JAVA, "-jar", ForkedJvm.AGENT_JAR.toString(), "attach", pid,
                        options).redirectErrorStream(true).start();
                outputs.add(new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                exits.add(cli.waitFor());
            }
            assertEquals(List.of(0, 3), exits, outputs.toString());
            assertTrue(outputs.get(1).contains("already loaded") && outputs.get(1).contains("stack.depth=4"), outputs.get(1));
            // and inside the JVM a second load is refused too, whoever asks
            load(pid, "jmx.rows=7");
            app.send("GO");
            ForkedJvm.Result r = app.finish(60);
            assertTrue(r.err.contains("already loaded in this JVM"), r.err);
            assertTrue(r.err.contains("jmx.rows=7"), r.err);
            Audit a = r.audit();
            assertEquals(3, a.count("ConnectCount"), "no double counting");
        }
    }

    @Test
    void theMxBeanIsReadableFromAnotherJvmThroughTheLocalConnector() throws Exception {
        try (ForkedJvm.Running app = ForkedJvm.withAgent().start(WORKLOAD, "idle")) {
            String pid = pid(app.awaitLine("READY", 30));
            VirtualMachine vm = VirtualMachine.attach(pid);
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                AuditDump.print(server, new PrintStream(bytes, true, StandardCharsets.UTF_8));
                javax.management.ObjectName name = new javax.management.ObjectName(AuditDump.NAME);
                String report = (String) server.invoke(name, "report", null, null);
                assertTrue(report.startsWith("report=ephemera connects="), report);
                String json = (String) server.invoke(name, "reportJson", null, null);
                assertTrue(json.startsWith("{\"header\":{\"report\":\"ephemera\""), json);
                server.invoke(name, "reset", null, null);
                assertEquals(0L, server.getAttribute(name, "ConnectCount"));
                assertEquals(0L, server.getAttribute(name, "OpenConnections"));
            }
            app.send("STOP");
            app.finish(60).assertOk();
            Audit a = Audit.parse(bytes.toString(StandardCharsets.UTF_8));
            assertTrue(a.present);
            assertEquals(4, a.siteCount("io.ephemera.it.app.Workload.socketConstructor(", "connects"));
            assertTrue(a.count("ConnectCount") >= 4);
        }
    }
}
