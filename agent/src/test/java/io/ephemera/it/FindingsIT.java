package io.ephemera.it;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each finding as a user meets it: in the report lines of a forked JVM, and in a flight recording. */
class FindingsIT {

    private static final String WORKLOAD = "io.ephemera.it.app.Workload";
    private static final String CHURNER = "io.ephemera.it.app.Churner";

    private static List<String> findings(String text, String kind) {
        return text.lines().filter(l -> l.startsWith("finding=" + kind + " ")).collect(Collectors.toList());
    }

    @Test
    void churnOnLoopbackIsReportedWithItsSiteRateAndAdvice() {
        // loopback reuses TIME_WAIT ports after a second (tcp_tw_reuse=2): the lifetime test catches it
        ForkedJvm.Result r = ForkedJvm.withAgent("census.interval=500ms", "report.interval=2s").run(CHURNER, "churn", "40", "5");
        r.assertOk();
        List<String> churn = findings(r.err, "churn");
        assertFalse(churn.isEmpty(), r.err);
        String line = churn.get(churn.size() - 1);
        assertTrue(line.contains("site=io.ephemera.it.app.Churner.churnRequest(Churner.java:"), line);
        assertTrue(line.contains(" dest=127.0.0.1:") && line.contains(" rate=") && line.contains(" hold=1s")
                && line.contains(" budget=") && line.contains(" headroom=") && line.contains("advice=\"reuse connections"),
                line);
        assertTrue(r.err.contains("report=ephemera "), "the header line:\n" + r.err);
        int at = r.err.indexOf(line);
        String after = r.err.substring(at + line.length());
        assertTrue(after.startsWith("\n    at java.net.Socket.connect("), "the stack follows, indented, from the socket:\n" + r.err);
        assertTrue(after.contains("\n    at io.ephemera.it.app.Churner.churnRequest("), r.err);
    }

    @Test
    void aPooledClientIsNeverAFinding() {
        ForkedJvm.Result r = ForkedJvm.withAgent("census.interval=500ms", "report.interval=2s").run(CHURNER, "pooled", "40", "5");
        r.assertOk();
        assertEquals(List.of(), findings(r.err, "churn"), r.err);
    }

    @Test
    void leaksAreReportedWithTheOpeningStack() {
        ForkedJvm.Result r = ForkedJvm.withAgent().run(WORKLOAD, "leak");
        r.assertOk();
        List<String> leaks = findings(r.err, "leak");
        assertEquals(2, leaks.size(), r.err);
        assertTrue(leaks.stream().anyMatch(l -> l.contains("site=io.ephemera.it.app.Workload.leakSocket(") && l.contains("leaked=1")),
                r.err);
        assertTrue(r.err.contains("    at io.ephemera.it.app.Workload.leakChannel("), r.err);
    }

    @Test
    void closeWaitAndLongLivedConnectionsAreReported() {
        ForkedJvm.Result r = ForkedJvm.withAgent("census.interval=500ms", "leak.age=1s").run(WORKLOAD, "closeWait");
        r.assertOk();
        assertTrue(findings(r.err, "close-wait").stream().anyMatch(l -> l.contains("closeWaitOpen(") && l.contains("close_wait=1")),
                r.err);
        assertTrue(findings(r.err, "long-lived").stream().anyMatch(l -> l.contains("closeWaitOpen(") && l.contains("count=1")),
                r.err);
        assertEquals(List.of(), findings(r.err, "leak"), "long-lived is never called a leak");
    }

    @Test
    void nothingToReportPrintsNothing() {
        ForkedJvm.Result r = ForkedJvm.withAgent("report.interval=1s").run(WORKLOAD, "socket");
        r.assertOk();
        assertFalse(r.err.contains("finding="), r.err);
        assertFalse(r.err.contains("report=ephemera"), "the header goes at debug level only:\n" + r.err);
    }

    @Test
    void reportFileIsOwnerOnlyAndNeverFollowsALink(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.log");
        ForkedJvm.Result r = ForkedJvm.withAgent("report.file=" + file).run(WORKLOAD, "leak");
        r.assertOk();
        String text = Files.readString(file);
        assertTrue(text.contains("finding=leak"), text);
        assertFalse(r.err.contains("finding="), "nothing on stderr when report.file is set");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file));

        Path target = dir.resolve("elsewhere.log");
        Path link = dir.resolve("planted.log");
        Files.createSymbolicLink(link, target);
        ForkedJvm.Result linked = ForkedJvm.withAgent("report.file=" + link).run(WORKLOAD, "leak");
        linked.assertOk();
        assertFalse(Files.exists(target), "the report never went through the link");
        assertTrue(linked.err.contains("cannot write report.file"), linked.err);
    }

    @Test
    void jfrEventsShowConnectsFailuresAndCloses(@TempDir Path dir) throws IOException {
        Path jfr = dir.resolve("recording.jfr");
        ForkedJvm.Result r = ForkedJvm.withAgent().jvmArg("-XX:StartFlightRecording=filename=" + jfr)
                .run(WORKLOAD, "failures");
        r.assertOk();
        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        List<RecordedEvent> connects = events.stream().filter(e -> e.getEventType().getName().equals("io.ephemera.Connect"))
                .collect(Collectors.toList());
        List<RecordedEvent> failed = events.stream()
                .filter(e -> e.getEventType().getName().equals("io.ephemera.ConnectFailed")).collect(Collectors.toList());
        List<RecordedEvent> closes = events.stream().filter(e -> e.getEventType().getName().equals("io.ephemera.Close"))
                .collect(Collectors.toList());
        assertEquals(ConnectionsIT.expected(r, "failures"), failed.size(), r.out);
        assertEquals(ConnectionsIT.expected(r, "connects"), connects.size());
        assertTrue(failed.stream().anyMatch(e -> "refused".equals(e.getString("failureCause"))
                && e.getString("callSite").startsWith("io.ephemera.it.app.Workload.refused(")));
        assertTrue(failed.stream().allMatch(e -> e.getString("destination").startsWith("127.0.0.1:")));
        assertEquals(connects.size(), closes.size());
        assertTrue(closes.stream().allMatch(e -> "outbound".equals(e.getString("direction"))
                && e.getDuration("lifetime").toNanos() > 0));
    }

    @Test
    void jfrCanBeTurnedOff(@TempDir Path dir) throws IOException {
        Path jfr = dir.resolve("recording.jfr");
        ForkedJvm.Result r = ForkedJvm.withAgent("jfr.enabled=false").jvmArg("-XX:StartFlightRecording=filename=" + jfr)
                .run(WORKLOAD, "socket");
        r.assertOk();
        assertTrue(RecordingFile.readAllEvents(jfr).stream().noneMatch(e -> e.getEventType().getName().startsWith("io.ephemera.")));
    }
}
