package io.ephemera.it;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's quick start is what a newcomer runs first: its command, exactly as the README
 * writes it, run from the repository root, prints the finding the README shows, with the same
 * fields in the same order and the same call site (the numbers are this machine's); and each
 * field the README explains is in it. As {@code ReadmeOptionsTest} keeps the options table true.
 */
class ReadmeQuickStartIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The fields the quick start explains, each in a bullet of its own. */
    private static final List<String> EXPLAINED = List.of("rate", "hold", "in_use", "headroom", "eta", "median_lifetime");
    private static final Pattern FIELD = Pattern.compile("([a-z_]+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+(?:\\.[0-9]+)?");

    @Test
    void theQuickStartCommandPrintsTheFindingTheReadmeShows() throws Exception {
        String section = quickStart();
        String command = block(section, "sh");
        String shown = block(section, "");
        assertEquals(1, command.lines().count(), "one command: " + command);
        assertTrue(Files.isRegularFile(ForkedJvm.AGENT_JAR), "the agent jar is built first: " + ForkedJvm.AGENT_JAR);

        String out = run(command);
        List<String> expected = shown.lines().toList();
        List<String> actual = out.lines().toList();
        assertEquals(expected.size(), actual.size(), "the README shows " + expected.size() + " line(s); the command printed:\n"
                + out);
        for (int i = 0; i < expected.size(); i++) {
            Map<String, String> want = fields(expected.get(i));
            Map<String, String> got = fields(actual.get(i));
            assertEquals(List.copyOf(want.keySet()), List.copyOf(got.keySet()), "the same fields in the same order:\n"
                    + actual.get(i));
            assertEquals(want.get("finding"), got.get("finding"));
            assertEquals(want.get("site"), got.get("site"), "the call site the README names");
            assertEquals(host(want.get("dest")), host(got.get("dest")));
            for (String key : want.keySet()) {
                if (key.equals("advice")) {
                    String first = want.get(key).split(";")[0];
                    assertTrue(got.get(key).startsWith(first), "advice starts as the README shows: " + got.get(key));
                } else if (key.equals("eta")) { // none, or a time on a host whose sysctls leave few ports
                    assertTrue(got.get(key).matches("none|[0-9.]+[sm]"), "eta=" + got.get(key));
                } else {
                    assertTrue(shape(want.get(key)).matcher(got.get(key)).matches(),
                            key + "=" + got.get(key) + " is written as the README's " + key + "=" + want.get(key));
                }
            }
        }
    }

    @Test
    void eachFieldOfTheFindingIsExplained() throws IOException {
        String section = quickStart();
        Map<String, String> shown = fields(block(section, "").lines().findFirst().orElseThrow());
        for (String key : EXPLAINED) {
            assertTrue(shown.containsKey(key), "the finding shown has " + key);
            assertTrue(section.lines().anyMatch(l -> l.startsWith("- `" + key + "`")), "a bullet explains " + key);
        }
    }

    private static String quickStart() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("\n## Quick start\n");
        assertTrue(start >= 0, "README has a Quick start section");
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** The body of the first fenced block whose opening fence says {@code info} ("" for a plain one). */
    private static String block(String text, String info) {
        StringBuilder body = null;
        boolean open = false;
        for (String line : text.lines().toList()) {
            if (line.startsWith("```")) {
                if (open && body != null) {
                    return body.toString();
                }
                open = !open;
                if (open && line.substring(3).strip().equals(info)) {
                    body = new StringBuilder();
                }
            } else if (open && body != null) {
                body.append(line).append('\n');
            }
        }
        return fail("no block ```" + info + " in the quick start");
    }

    /** Runs {@code command} with sh from the repository root, with the JDK that runs this test first on the PATH. */
    private static String run(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).directory(ROOT.toFile()).redirectErrorStream(true);
        String java = Path.of(System.getProperty("java.home"), "bin").toString();
        pb.environment().merge("PATH", java, (path, jdk) -> jdk + File.pathSeparator + path);
        Path log = Files.createTempFile("quick-start", ".txt");
        try {
            Process p = pb.redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(ForkedJvm.DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("the quick start did not finish in " + ForkedJvm.DEADLINE_SECONDS + " s: "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "the quick start's command failed:\n" + out);
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** A report line's {@code key=value} fields, in order; quoted values without their quotes. */
    private static Map<String, String> fields(String line) {
        Map<String, String> f = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            String v = m.group(2);
            f.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
        }
        assertFalse(f.isEmpty(), "a report line: " + line);
        return f;
    }

    /** {@code value} with each number free: {@code 31.5/s} matches any rate, never {@code unknown}. */
    private static Pattern shape(String value) {
        Matcher m = NUMBER.matcher(value);
        List<String> parts = new ArrayList<>();
        int last = 0;
        while (m.find()) {
            parts.add(Pattern.quote(value.substring(last, m.start())));
            parts.add(NUMBER.pattern());
            last = m.end();
        }
        parts.add(Pattern.quote(value.substring(last)));
        return Pattern.compile(String.join("", parts));
    }

    private static String host(String destination) {
        return destination.substring(0, destination.lastIndexOf(':'));
    }
}
