package io.ephemera.it.app;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * Prints every attribute of the agent's MXBean as tab-separated lines a test can parse:
 * {@code attr NAME VALUE} and {@code row ATTRIBUTE KEY ITEM VALUE}. Runs inside the forked JVM
 * and knows nothing of the agent's classes: it reads the MXBean the way any JMX client does.
 */
public final class AuditDump {

    public static final String NAME = "io.ephemera:type=ConnectionAudit";

    private AuditDump() {
    }

    /** Waits until the agent registered its MXBean (it does so on its own thread). */
    public static boolean awaitRegistered(long millis) throws Exception {
        ObjectName name = new ObjectName(NAME);
        long deadline = System.nanoTime() + millis * 1_000_000L;
        do {
            if (ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
                return true;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        return false;
    }

    public static void print(PrintStream out) throws Exception {
        print(ManagementFactory.getPlatformMBeanServer(), out);
    }

    public static void print(MBeanServerConnection server, PrintStream out) throws Exception {
        ObjectName name = new ObjectName(NAME);
        if (!server.isRegistered(name)) {
            out.println("mbean\tabsent");
            return;
        }
        out.println("mbean\tpresent");
        for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
            Object v = server.getAttribute(name, a.getName());
            if (v instanceof TabularData) {
                for (Object row : ((TabularData) v).values()) {
                    CompositeData r = (CompositeData) row;
                    String key = String.valueOf(r.get("key"));
                    Object value = r.get("value");
                    if (value instanceof CompositeData) {
                        CompositeData c = (CompositeData) value;
                        for (String item : c.getCompositeType().keySet()) {
                            out.println("row\t" + a.getName() + "\t" + esc(key) + "\t" + item + "\t" + esc(String.valueOf(c.get(item))));
                        }
                    } else {
                        out.println("row\t" + a.getName() + "\t" + esc(key) + "\tvalue\t" + esc(String.valueOf(value)));
                    }
                }
            } else if (v instanceof String[]) {
                out.println("attr\t" + a.getName() + "\t" + esc(String.join("|", (String[]) v)));
            } else {
                out.println("attr\t" + a.getName() + "\t" + esc(String.valueOf(v)));
            }
        }
        out.println("end");
        out.flush();
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
    }
}
