package io.ephemera.it;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad options turn the agent off with one clear line; the application runs as if it were absent. */
class OptionsIT {

    private static final String WORKLOAD = "io.ephemera.it.app.Workload";

    private static long ephemeraLines(String err) {
        return err.lines().filter(l -> l.startsWith("ephemera:")).count();
    }

    @Test
    void unknownOptionIsOneLineAndTheApplicationRunsWithoutTheAgent() {
        ForkedJvm.Result r = ForkedJvm.withAgent("stack.depht=8").run(WORKLOAD, "socket");
        r.assertOk();
        assertEquals(1, ephemeraLines(r.err), r.err);
        assertTrue(r.err.contains("stack.depht=8"), r.err);
        assertTrue(r.err.contains("did you mean stack.depth?"), r.err);
        assertTrue(r.err.startsWith("ephemera: ERROR: the agent is OFF: unknown option stack.depht=8"), r.err);
        assertFalse(Audit.parse(r.out).present, "no MXBean when the agent is off");
        assertEquals(7, ConnectionsIT.expected(r, "connects"), "the application did its work");
    }

    @Test
    void badValueNamesKeyValueAndWhatIsAccepted() {
        ForkedJvm.Result r = ForkedJvm.withAgent("jmx.rows=lots").run(WORKLOAD, "quiet");
        r.assertOk();
        assertEquals(1, ephemeraLines(r.err), r.err);
        assertTrue(r.err.contains("jmx.rows=lots") && r.err.contains("a whole number from 1 to"), r.err);
    }

    @Test
    void badSystemPropertyToo() {
        ForkedJvm.Result r = ForkedJvm.withAgent().jvmArg("-Dephemera.callsites.max=-1").run(WORKLOAD, "quiet");
        r.assertOk();
        assertTrue(r.err.contains("-Dephemera.callsites.max"), r.err);
        assertFalse(Audit.parse(r.out).present);
    }

    @Test
    void strictMakesABadOptionFatal() {
        ForkedJvm.Result r = ForkedJvm.withAgent("strict=true", "stack.depth=zero").run(WORKLOAD, "quiet");
        assertNotEquals(0, r.exit, r.toString());
        assertTrue(r.err.contains("stack.depth=zero"), r.err);
        assertFalse(r.out.contains("expect"), "main never ran");
    }

    @Test
    void goodOptionsAreAppliedAndShown() {
        ForkedJvm.Result r = ForkedJvm.withAgent("jmx.rows=1", "stack.depth=4").run(WORKLOAD, "socket");
        Audit a = r.audit();
        assertEquals("stack.depth=4,jmx.rows=1", a.attributes.get("Options"));
        assertEquals(1, a.rows("CallSites").size());
        assertEquals(3, a.count("CallSiteRowsOmitted"));
    }

    @Test
    void disabledLeavesTheApplicationAlone() {
        ForkedJvm.Result r = ForkedJvm.withAgent("enabled=false").run(WORKLOAD, "socket");
        r.assertOk();
        assertFalse(Audit.parse(r.out).present);
        assertTrue(r.err.contains("enabled=false"), r.err);
    }

    @Test
    void callSiteCapOverflowsIntoOneOtherRow() {
        ForkedJvm.Result r = ForkedJvm.withAgent("callsites.max=2").run(WORKLOAD, "socket");
        Audit a = r.audit();
        assertEquals(7, a.count("ConnectCount"));
        long perSite = a.rows("CallSites").values().stream().mapToLong(m -> Long.parseLong(m.get("connects"))).sum();
        assertEquals(7, perSite, "nothing lost in overflow");
        assertTrue(a.rows("CallSites").containsKey("(other)"), a.rows("CallSites").keySet().toString());
    }
}
