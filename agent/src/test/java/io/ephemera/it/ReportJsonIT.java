package io.ephemera.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code report --json} and the MXBean's {@code reportJson()} as a script reads them: parsed by a
 * real JSON parser, every field checked against the schema table of docs/cli.md (its type, and
 * null only where the table says when), for a report with churn, peer-churn, exhaustion-risk, leak
 * and close-wait findings.
 */
class ReportJsonIT {

    private static final Path CLI_MD = Path.of(System.getProperty("ephemera.docs", "../docs"), "cli.md")
            .toAbsolutePath().normalize();
    private static final List<String> KINDS = List.of("churn", "peer-churn", "exhaustion-risk", "leak", "close-wait");
    private static final List<String> ALL_KINDS = List.of("churn", "peer-churn", "exhaustion-risk",
            "address-not-available", "leak", "close-wait", "unseen", "long-lived", "unjudged");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One row of the schema: its type and whether it may be null. */
    record Field(String type, boolean nullable) {
    }

    @Test
    void everyFieldHasTheTypeTheSchemaDocuments() throws Exception {
        Map<String, Map<String, Field>> schema = schema();
        NetworkNamespace.assumeAvailable();
        String mxbean;
        ForkedJvm.Result cli;
        try (ForkedJvm.Running app = ForkedJvm.withAgent("census.interval=200ms")
                .under(NetworkNamespace.with("net.ipv4.ip_local_port_range=40000 40999", "net.ipv4.tcp_tw_reuse=0"))
                .start("io.ephemera.it.app.ReportJson", KINDS.toArray(new String[0]))) {
            mxbean = app.awaitLine("JSON\t", 180).substring("JSON\t".length());
            String pid = app.awaitLine("READY\t", 60).split("\t")[1].trim();
            cli = Cli.cli("report", pid, "--json");
            app.send("STOP");
            app.finish(60).assertOk();
        }
        assertEquals(0, cli.exit, cli.toString());
        Files.writeString(Path.of("target", "report.json"), cli.out); // what the docs' example is made from
        check(schema, mxbean, "reportJson()");
        check(schema, cli.out, "report --json");
    }

    private static void check(Map<String, Map<String, Field>> schema, String text, String what) throws IOException {
        JsonNode root = JSON.readTree(text);
        assertTrue(root.isObject(), what + ": " + text);
        assertEquals(Set.of("header", "findings"), names(root), what);
        JsonNode header = root.get("header");
        assertEquals(schema.get("header").keySet(), names(header), what + ": the header's fields are the documented ones");
        checkObject(schema.get("header"), header, what + " header");
        assertEquals("available", header.get("census").asText(), what);

        Set<String> kinds = new TreeSet<>();
        for (JsonNode finding : root.get("findings")) {
            String kind = finding.get("finding").asText();
            kinds.add(kind);
            Map<String, Field> fields = schema.get(kind);
            assertNotNull(fields, what + ": an undocumented kind " + kind);
            checkObject(fields, finding, what + " " + kind);
            if (kind.equals("exhaustion-risk")) {
                // what the issue asked for: numbers a script compares
                assertTrue(finding.get("headroom").asDouble() < 100 && finding.get("rate").asDouble() > 0, finding.toString());
                assertTrue(finding.get("eta").isNumber(), "on course to run out: " + finding);
            }
        }
        assertTrue(kinds.containsAll(KINDS), what + ": kinds " + kinds + " in " + text);
    }

    private static void checkObject(Map<String, Field> fields, JsonNode object, String what) {
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            Field f = fields.get(e.getKey());
            assertNotNull(f, what + ": field " + e.getKey() + " is not in the schema of docs/cli.md");
            JsonNode v = e.getValue();
            String ctx = what + ": " + e.getKey() + "=" + v;
            if (v.isNull()) {
                assertTrue(f.nullable(), ctx + ": the schema says never null");
                continue;
            }
            switch (f.type()) {
                case "string": assertTrue(v.isTextual(), ctx); break;
                case "integer": assertTrue(v.isIntegralNumber(), ctx); break;
                case "number": assertTrue(v.isNumber(), ctx); break;
                case "array of strings":
                    assertTrue(v.isArray(), ctx);
                    v.forEach(x -> assertTrue(x.isTextual(), ctx));
                    break;
                default: throw new AssertionError("a type the test does not know: " + f.type());
            }
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.properties().forEach(e -> names.add(e.getKey()));
        return names;
    }

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** The schema table of docs/cli.md: for {@code header} and each kind, field to type and nullability. */
    static Map<String, Map<String, Field>> schema() throws IOException {
        List<String> lines = Files.readAllLines(CLI_MD);
        int at = lines.indexOf("#### The JSON schema");
        assertTrue(at >= 0, "no '#### The JSON schema' in " + CLI_MD);
        Map<String, Map<String, Field>> schema = new HashMap<>();
        int i = at + 1;
        while (!lines.get(i).startsWith("| object |")) {
            i++;
        }
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|", -1);
            String objects = cells[1].trim();
            Matcher field = CODE.matcher(cells[2]);
            assertTrue(field.find(), lines.get(i));
            Field f = new Field(cells[3].trim(), !cells[5].trim().equals("never"));
            List<String> owners = new ArrayList<>();
            if (objects.equals("every finding")) {
                owners.addAll(ALL_KINDS);
            } else {
                Matcher m = CODE.matcher(objects);
                while (m.find()) {
                    owners.add(m.group(1));
                }
            }
            assertFalse(owners.isEmpty(), lines.get(i));
            for (String o : owners) {
                assertTrue(o.equals("header") || ALL_KINDS.contains(o), "an unknown object " + o + ": " + lines.get(i));
                Field before = schema.computeIfAbsent(o, k -> new HashMap<>()).put(field.group(1), f);
                assertTrue(before == null, "documented twice: " + o + " " + field.group(1));
            }
        }
        assertEquals(16, schema.get("header").size(), "the header's rows");
        return schema;
    }
}
