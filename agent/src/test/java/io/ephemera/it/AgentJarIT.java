package io.ephemera.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A jar that looks like the agent and is not: the build leaves none beside the real one, and one
 * without Byte Buddy, given to {@code -javaagent}, says so and names the jar to use.
 */
class AgentJarIT {

    private static final String ORIGINAL = "original-ephemera-agent.jar";

    @Test
    void theAgentJarIsTheOnlyJarBesideItself() throws IOException {
        Path target = ForkedJvm.AGENT_JAR.getParent();
        Path unshaded = target.resolve("shade").resolve(ORIGINAL);
        assertTrue(Files.isRegularFile(unshaded), "the shade plugin leaves the unshaded jar in target/shade/");
        List<String> jars;
        try (Stream<Path> files = Files.list(target)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    // an older build's, left until mvn clean: older than the one this build moved aside
                    .filter(p -> !(p.getFileName().toString().equals(ORIGINAL) && olderThan(p, unshaded)))
                    .map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        assertEquals(List.of("ephemera-agent.jar"), jars, "jars in " + target);
    }

    @Test
    void aJarWithoutByteBuddyNamesTheJarToUse(@TempDir Path dir) throws IOException {
        Path partial = dir.resolve("ephemera-agent-partial.jar");
        try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(partial), jar.getManifest())) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                String n = e.getName();
                if (n.equals("META-INF/MANIFEST.MF") || n.startsWith("io/ephemera/shaded/")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(n));
                try (InputStream in = jar.getInputStream(e)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        ForkedJvm.Result r = ForkedJvm.withoutAgent().jvmArg("-javaagent:" + partial).run(Application.class.getName());
        r.assertOk();
        assertEquals("the application ran", r.out.strip());
        List<String> lines = r.err.lines().filter(l -> l.startsWith("ephemera:")).collect(Collectors.toList());
        assertEquals(1, lines.size(), r.err);
        String line = lines.get(0);
        assertTrue(line.startsWith("ephemera: ERROR: the agent is OFF: " + partial + " lacks Byte Buddy ("), line);
        assertTrue(line.contains("use the agent's jar, agent/target/ephemera-agent.jar"), line);
    }

    /** An application that only says it ran. */
    public static final class Application {
        public static void main(String[] args) {
            System.out.println("the application ran");
        }
    }

    private static boolean olderThan(Path a, Path b) {
        try {
            return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b)) < 0;
        } catch (IOException e) {
            return false;
        }
    }
}
