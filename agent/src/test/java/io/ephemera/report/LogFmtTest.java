package io.ephemera.report;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFmtTest {

    /** A logfmt reader, as a log pipeline would parse the agent's lines. */
    static Map<String, String> parse(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq);
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (line.charAt(i) != '"') {
                    if (line.charAt(i) == '\\') {
                        i++;
                    }
                    v.append(line.charAt(i++));
                }
                i++;
            } else {
                while (i < line.length() && line.charAt(i) != ' ') {
                    v.append(line.charAt(i++));
                }
            }
            out.put(key, v.toString());
        }
        return out;
    }

    @Test
    void aFindingLineReadsBackAsWritten() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("site", "com.acme.Billing.charge(Billing.java:42)");
        f.put("dest", "10.0.0.5:8080");
        f.put("rate", "412.0/s");
        f.put("hold", "60s");
        f.put("headroom", "12.5%");
        f.put("advice", "reuse connections (keep-alive); \"quoted\" and back\\slash, key=value");
        f.put("empty", "");
        Finding finding = new Finding(FindingKind.CHURN, f, "a.B.c(B.java:1)\nd.E.f(E.java:2)\n");
        String line = finding.line();
        assertTrue(line.startsWith("finding=churn site=com.acme.Billing.charge(Billing.java:42) dest=10.0.0.5:8080 rate=412.0/s"),
                line);
        assertFalse(line.contains("\n"));
        Map<String, String> back = parse(line);
        assertEquals("churn", back.get("finding"));
        for (Map.Entry<String, String> e : f.entrySet()) {
            assertEquals(e.getValue(), back.get(e.getKey()), e.getKey());
        }
        assertEquals(List.of("finding", "site", "dest", "rate", "hold", "headroom", "advice", "empty"),
                List.copyOf(back.keySet()));
    }

    @Test
    void newlinesNeverBreakALine() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("site", "x\ny");
        assertEquals("site=\"x y\"", LogFmt.line(f));
    }

    @Test
    void blockIndentsTheStack() {
        Finding finding = new Finding(FindingKind.LEAK, Map.of("site", "a.B.c(B.java:1)"), "a.B.c(B.java:1)\nd.E.f(E.java:2)\n");
        assertEquals("finding=leak site=a.B.c(B.java:1)\n    at a.B.c(B.java:1)\n    at d.E.f(E.java:2)", Report.block(finding));
    }

    @Test
    void jsonCarriesTheSameContent() {
        Map<String, String> header = new LinkedHashMap<>();
        header.put("report", "ephemera");
        header.put("connects", "12");
        Finding finding = new Finding(FindingKind.LEAK, Map.of("site", "a.B.c(B.java:1)", "leaked", "3"),
                "a.B.c(B.java:1)\n");
        String json = new Report(header, List.of(finding)).json();
        assertEquals("{\"header\":{\"report\":\"ephemera\",\"connects\":12},\"findings\":[{\"finding\":\"leak\","
                + finding.fields().entrySet().stream().skip(1).map(e -> "\"" + e.getKey() + "\":"
                + (e.getKey().equals("leaked") ? e.getValue() : "\"" + e.getValue() + "\"")).reduce((a, b) -> a + "," + b)
                .orElse("") + ",\"stack\":[\"a.B.c(B.java:1)\"]}]}", json);
        assertTrue(Json.isNumber("12.5") && !Json.isNumber("12.5%") && !Json.isNumber("1.") && !Json.isNumber(""));
    }

    @Test
    void jsonGivesNumbersInTheSchemasUnitsWhereTheTextCarriesAUnit() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("rate", "15.0/s");
        f.put("hold", "1s");
        f.put("headroom", "97.4%");
        f.put("eta", "none");
        f.put("in_use", "unknown");
        Map<String, Object> numbers = new java.util.HashMap<>();
        numbers.put("rate", 15.04);
        numbers.put("hold", 1.0);
        numbers.put("headroom", 97.36249);
        numbers.put("eta", null);
        Finding finding = new Finding(FindingKind.CHURN, f, numbers, "");
        assertEquals("finding=churn rate=15.0/s hold=1s headroom=97.4% eta=none in_use=unknown", finding.line());
        assertEquals("{\"header\":{},\"findings\":[{\"finding\":\"churn\",\"rate\":15.04,\"hold\":1,"
                + "\"headroom\":97.362,\"eta\":null,\"in_use\":null,\"stack\":[]}]}",
                new Report(Map.of(), List.of(finding)).json());
        StringBuilder b = new StringBuilder();
        Json.number(b, Double.NaN);
        Json.number(b.append(','), 1e-9);
        Json.number(b.append(','), 123456789.0);
        Json.number(b.append(','), 7L);
        assertEquals("null,0,123456789,7", b.toString());
    }

    @Test
    void secondsAsUsersReadThem() {
        assertEquals("60s", LogFmt.seconds(60));
        assertEquals("0.5s", LogFmt.seconds(0.5));
        assertEquals("12m", LogFmt.seconds(720));
        assertEquals("7.6s", LogFmt.seconds(7.6));
        assertEquals("15s", LogFmt.seconds(14.6));
    }
}
