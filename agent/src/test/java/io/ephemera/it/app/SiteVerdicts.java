package io.ephemera.it.app;

import java.lang.management.ManagementFactory;
import java.io.PrintStream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * What the agent says of a call site right now, for the library workloads (ReactorNettyClients,
 * GrpcClients): its {@code churning} item, and the findings of the text report. The verdict looks
 * at the last 10 seconds, so a workload reads it right after the pattern, not at its end.
 */
final class SiteVerdicts {

    private SiteVerdicts() {
    }

    /** The {@code churning} item of the call site labelled {@code labelPrefix}..., false while it has none. */
    static boolean churning(String labelPrefix) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(AuditDump.NAME);
        if (!server.isRegistered(name)) {
            return false;
        }
        TabularData sites = (TabularData) server.getAttribute(name, "CallSites");
        for (Object o : sites.values()) {
            CompositeData site = (CompositeData) ((CompositeData) o).get("value");
            if (((String) site.get("site")).startsWith(labelPrefix)) {
                return Boolean.TRUE.equals(site.get("churning"));
            }
        }
        return false;
    }

    /** Prints {@code verdict NAME true|false}. */
    static void print(PrintStream out, String name, String labelPrefix) throws Exception {
        out.println("verdict\t" + name + "\t" + churning(labelPrefix));
    }

    /** Prints the agent's text report now, each line as {@code report LINE}. */
    static void printReport(PrintStream out) throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(new ObjectName(AuditDump.NAME), "report", new Object[0], new String[0]);
        for (String line : text.split("\n")) {
            out.println("report\t" + line);
        }
    }

    /**
     * Prints {@code unseenWhileOpen N}: the census's unseen connections once three passes began
     * after now, while the workload holds its connections open (an unseen socket must be open).
     */
    static void printUnseenWhileOpen(PrintStream out) throws Exception {
        long after = System.currentTimeMillis();
        for (int i = 0; i < 3; i++) {
            after = AuditDump.awaitCensusPassAfter(after);
        }
        Object unseen = ManagementFactory.getPlatformMBeanServer()
                .getAttribute(new ObjectName(AuditDump.NAME), "UnseenConnections");
        out.println("unseenWhileOpen\t" + unseen);
    }
}
