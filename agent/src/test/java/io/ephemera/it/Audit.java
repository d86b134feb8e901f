package io.ephemera.it;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MXBean as a forked JVM printed it (see {@code AuditDump}): attributes and map rows. */
final class Audit {

    final boolean present;
    final Map<String, String> attributes = new LinkedHashMap<>();
    /** attribute → row key → item → value. */
    final Map<String, Map<String, Map<String, String>>> rows = new LinkedHashMap<>();

    private Audit(boolean present) {
        this.present = present;
    }

    static Audit parse(String output) {
        Audit audit = null;
        for (String line : output.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("mbean")) {
                audit = new Audit(f[1].equals("present"));
            } else if (audit != null && f[0].equals("attr") && f.length == 3) {
                audit.attributes.put(f[1], unesc(f[2]));
            } else if (audit != null && f[0].equals("row") && f.length == 5) {
                audit.rows.computeIfAbsent(f[1], k -> new LinkedHashMap<>())
                        .computeIfAbsent(unesc(f[2]), k -> new LinkedHashMap<>()).put(f[3], unesc(f[4]));
            }
        }
        assertNotNull(audit, "the forked JVM printed no MXBean dump:\n" + output);
        return audit;
    }

    long count(String attribute) {
        String v = attributes.get(attribute);
        assertNotNull(v, "no attribute " + attribute + " in " + attributes.keySet());
        return Long.parseLong(v);
    }

    Map<String, Map<String, String>> rows(String attribute) {
        return rows.getOrDefault(attribute, Map.of());
    }

    /** The call-site row whose key starts with {@code prefix}, e.g. {@code "io.ephemera.it.app.Workload.socketApi("}. */
    Map<String, String> site(String prefix) {
        return find("CallSites", prefix)
                .orElseThrow(() -> new AssertionError("no call site starting with " + prefix + " in "
                        + rows("CallSites").keySet()));
    }

    Optional<Map<String, String>> find(String attribute, String prefix) {
        return rows(attribute).entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(Map.Entry::getValue).findFirst();
    }

    long siteCount(String prefix, String item) {
        return Long.parseLong(site(prefix).get(item));
    }

    /** The sum of {@code item} over every call-site row whose key starts with {@code prefix}. */
    long sumSites(String prefix, String item) {
        return rows("CallSites").entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> Long.parseLong(e.getValue().get(item))).sum();
    }

    Map<String, String> destination(String key) {
        Map<String, String> row = rows("Destinations").get(key);
        assertNotNull(row, "no destination " + key + " in " + rows("Destinations").keySet());
        return row;
    }

    void assertBalanced() {
        assertEquals(count("ConnectCount") + count("AcceptCount") - count("OpenConnections"), count("CloseCount"),
                "CloseCount = ConnectCount + AcceptCount - OpenConnections; " + attributes);
        assertEquals(0, count("AgentErrorCount"), "AgentErrorCount");
        assertEquals(0, count("TrackingDropCount"), "TrackingDropCount");
        assertTrue(count("OpenConnections") >= 0);
    }

    private static String unesc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
