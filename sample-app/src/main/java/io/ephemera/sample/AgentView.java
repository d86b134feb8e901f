package io.ephemera.sample;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * Prints what the ephemera agent found, read from its MXBean like any JMX client would: the sample
 * app does not depend on the agent and runs the same without it.
 */
final class AgentView {

    static final String NAME = "io.ephemera:type=ConnectionAudit";

    private AgentView() {
    }

    static void print(PrintStream out) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(NAME);
        for (int i = 0; i < 100 && !server.isRegistered(name); i++) {
            Thread.sleep(20);
        }
        if (!server.isRegistered(name)) {
            out.println("The ephemera agent is not loaded: start with -javaagent:agent/target/ephemera-agent.jar");
            return;
        }
        out.printf(Locale.ROOT, "ephemera saw %d connects (%d failed), %d accepts, %d closes, %d open, %d leaked%n",
                (Long) server.getAttribute(name, "ConnectCount"), (Long) server.getAttribute(name, "ConnectFailureCount"),
                (Long) server.getAttribute(name, "AcceptCount"), (Long) server.getAttribute(name, "CloseCount"),
                (Long) server.getAttribute(name, "OpenConnections"), (Long) server.getAttribute(name, "LeakCount"));
        out.println();
        out.println("Call sites, busiest first:");
        out.printf(Locale.ROOT, "  %8s %8s %6s %6s %9s %11s  %s%n", "connects", "accepts", "open", "leaked", "rate/s",
                "median ms", "site -> destinations");
        for (CompositeData row : rows((TabularData) server.getAttribute(name, "CallSites"))) {
            out.printf(Locale.ROOT, "  %8d %8d %6d %6d %9.1f %11.2f  %s -> %s%n",
                    (Long) row.get("connects"), (Long) row.get("accepts"), (Long) row.get("open"), (Long) row.get("leaked"),
                    (Double) row.get("connectRatePerSecond"), (Double) row.get("medianLifetimeMillis"),
                    row.get("site"), row.get("destinations"));
        }
        out.println();
        out.println("Destinations:");
        for (CompositeData row : rows((TabularData) server.getAttribute(name, "Destinations"))) {
            out.printf(Locale.ROOT, "  %-24s %8d connects %6d open %9.1f/s%n", row.get("destination"),
                    (Long) row.get("connects"), (Long) row.get("open"), (Double) row.get("connectRatePerSecond"));
        }
        out.println();
        out.println("Inbound peers, and who closed each connection first (the TIME_WAIT stays on that side):");
        out.printf(Locale.ROOT, "  %-24s %8s %6s %11s %9s %9s %9s %10s  %s%n", "peer -> :port", "accepts", "open",
                "closed here", "by peer", "reset", "rate/s", "TIME_WAIT", "churning");
        List<CompositeData> peers = new ArrayList<>();
        for (Object o : ((TabularData) server.getAttribute(name, "Peers")).values()) {
            peers.add((CompositeData) ((CompositeData) o).get("value"));
        }
        peers.sort((a, b) -> Long.compare((Long) b.get("accepts"), (Long) a.get("accepts")));
        for (CompositeData row : peers) {
            out.printf(Locale.ROOT, "  %-24s %8d %6d %11d %9d %9d %9.1f %10d  %s%n",
                    row.get("peer") + " -> :" + row.get("localPort"), (Long) row.get("accepts"), (Long) row.get("open"),
                    (Long) row.get("closedHere"), (Long) row.get("closedByPeer"), (Long) row.get("resetByPeer"),
                    (Double) row.get("acceptRatePerSecond"), (Long) row.get("ownedTimeWait"), row.get("churning"));
        }
    }

    /**
     * Collects garbage until the agent has counted {@code leaks} leaked connections, 60 s at most:
     * it notices a dropped socket only once the collector found it, later on a busy machine.
     * Returns at once when the agent is not loaded.
     */
    static void awaitLeaks(long leaks) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(NAME);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (server.isRegistered(name) && (Long) server.getAttribute(name, "LeakCount") < leaks
                && System.nanoTime() - deadline < 0) {
            System.gc();
            Thread.sleep(50);
        }
    }

    /**
     * Waits, 60 s at most, until the agent's census has made a whole pass that began after this
     * call: two passes that end after it (they run one after the other). Returns at once when the
     * agent is not loaded.
     */
    static void awaitCensusAfterNow() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(NAME);
        long deadline = System.nanoTime() + 60_000_000_000L;
        long latestEnd = System.currentTimeMillis(); // at or after the end of the last pass counted (none yet: now)
        int passes = 0;
        while (server.isRegistered(name) && passes < 2 && System.nanoTime() - deadline < 0) {
            long before = System.currentTimeMillis();
            long age = (Long) server.getAttribute(name, "CensusAgeMillis");
            long after = System.currentTimeMillis();
            if (before - age > latestEnd) { // the last pass surely ended after the one counted before
                passes++;
                latestEnd = after - age;
            }
            Thread.sleep(50);
        }
    }

    /** The agent's findings, as its report() operation gives them (the same lines it logs). */
    static void printReport(PrintStream out) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(NAME);
        if (server.isRegistered(name)) {
            out.print(server.invoke(name, "report", null, null));
        }
    }

    private static List<CompositeData> rows(TabularData table) {
        List<CompositeData> rows = new ArrayList<>();
        for (Object o : table.values()) {
            rows.add((CompositeData) ((CompositeData) o).get("value"));
        }
        rows.sort((a, b) -> Long.compare(activity(b), activity(a)));
        return rows;
    }

    private static long activity(CompositeData row) {
        long n = (Long) row.get("connects");
        return row.containsKey("accepts") ? n + (Long) row.get("accepts") : n;
    }
}
