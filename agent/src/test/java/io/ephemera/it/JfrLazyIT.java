package io.ephemera.it;

import io.ephemera.it.app.LateRecording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent does not start Flight Recorder (a running one instruments every socket read and
 * write of the application), yet a recording started later still gets its events.
 */
class JfrLazyIT {

    @Test
    void aRecordingStartedAfterTheAgentGetsItsEventsAndNoneIsStartedBefore(@TempDir Path dir) throws IOException {
        Path jfr = dir.resolve("late.jfr");
        ForkedJvm.Result r = ForkedJvm.withAgent().run(LateRecording.class.getName(), jfr.toString(), "5");
        r.assertOk();
        assertTrue(r.out.contains("initializedBeforeRecording\tfalse"), r.out + r.err);
        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        long connects = events.stream().filter(e -> e.getEventType().getName().equals("io.ephemera.Connect")
                && "outbound".equals(e.getString("direction"))).count();
        long closes = events.stream().filter(e -> e.getEventType().getName().equals("io.ephemera.Close")
                && "outbound".equals(e.getString("direction"))).count();
        assertEquals(ConnectionsIT.expected(r, "connects"), connects, r.out + r.err);
        assertEquals(connects, closes);
    }
}
