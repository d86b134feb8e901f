package io.ephemera.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgvTest {

    @Test
    void aJavaCommandIsItsMainClassAndArguments() {
        assertEquals("com.acme.Main serve --port 8080", Argv.summary(List.of("/usr/lib/jvm/java-17/bin/java",
                "-Xmx1g", "-cp", "/a.jar:/b.jar", "-Dx=y", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "com.acme.Main", "serve", "--port", "8080")));
        assertEquals("-jar app.jar --debug", Argv.summary(List.of("java", "-XX:+UseG1GC", "-jar", "app.jar", "--debug")));
        assertEquals("com.acme/com.acme.Main", Argv.summary(List.of("java", "-p", "mods", "-m", "com.acme/com.acme.Main")));
        assertEquals("java", Argv.summary(List.of("java", "-version")));
    }

    @Test
    void otherCommandsAreTheirWordsCutShort() {
        assertEquals("nginx: worker process", Argv.summary(List.of("nginx: worker process")));
        String long_ = "x".repeat(200);
        String s = Argv.summary(List.of("python3", long_));
        assertEquals(Argv.MAX, s.length());
        assertTrue(s.endsWith("..."));
        assertEquals("", Argv.summary(List.of()));
    }

    @Test
    void javaIsRecognisedByTheExecutablesName() {
        assertTrue(Argv.isJava(List.of("/opt/jdk/bin/java", "Main")));
        assertTrue(Argv.isJava(List.of("java")));
        assertFalse(Argv.isJava(List.of("/usr/bin/javac")));
        assertFalse(Argv.isJava(List.of("sh", "-c", "java Main")));
        assertFalse(Argv.isJava(List.of()));
    }
}
