package io.ephemera.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing the agent bundles may appear to the application under its original name. */
class JarContentIT {

    @Test
    void everyClassIsUnderTheAgentsOwnPackage() throws IOException {
        List<String> escaped = new ArrayList<>();
        try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                String n = e.getName();
                if (e.isDirectory() || n.equals("META-INF/MANIFEST.MF") || n.startsWith("META-INF/maven/")
                        || n.equals("META-INF/LICENSE") || n.equals("META-INF/NOTICE")
                        || n.startsWith("META-INF/licenses/")) {
                    continue;
                }
                if (!n.startsWith("io/ephemera/")) {
                    escaped.add(n);
                }
            }
        }
        assertEquals(List.of(), escaped, "entries outside io/ephemera/ (relocation escaped?)");
    }

    @Test
    void byteBuddyIsRelocated() throws IOException {
        try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
            assertNotNull(jar.getEntry("io/ephemera/shaded/net/bytebuddy/ByteBuddy.class"));
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("net/")));
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("META-INF/versions/")));
        }
    }

    @Test
    void manifestDeclaresTheEntryPoints() throws IOException {
        try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
            Attributes m = jar.getManifest().getMainAttributes();
            assertEquals("io.ephemera.agent.Agent", m.getValue("Premain-Class"));
            assertEquals("io.ephemera.agent.Agent", m.getValue("Agent-Class"));
            assertEquals("io.ephemera.cli.Main", m.getValue("Main-Class"));
            assertEquals("true", m.getValue("Can-Retransform-Classes"));
        }
    }
}
