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

    /**
     * Waits until a census pass ended after {@code afterMillis} ({@link System#currentTimeMillis()},
     * the clock the agent measures {@code CensusAgeMillis} on), 60 s at most, and returns a time no
     * earlier than that pass's end: pass it again to wait for the next pass. A pass ended
     * {@code CensusAgeMillis} before the moment the attribute was read; before the first pass the
     * age counts from the agent's start, which is before anything the application can pass here.
     */
    public static long awaitCensusPassAfter(long afterMillis) throws Exception {
        if (!awaitRegistered(60_000)) {
            throw new IllegalStateException("the agent's MXBean was not registered within 60 s");
        }
        ObjectName name = new ObjectName(NAME);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            long before = System.currentTimeMillis();
            long age = (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "CensusAgeMillis");
            long after = System.currentTimeMillis();
            if (before - age > afterMillis) { // the pass ended at or after before - age
                return after - age; // ... and at or before after - age
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no census pass ended within 60 s; CensusAgeMillis " + age);
            }
            Thread.sleep(20);
        }
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
