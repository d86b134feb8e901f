package io.ephemera.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code /proc/<pid>} tells before attaching, on a made-up proc root. */
class TargetProcessTest {

    @TempDir
    Path proc;

    /** Files outside {@code /proc}: a {@code /tmp} and a container's root. */
    @TempDir
    Path world;

    private TargetProcess process(long pid, String comm, String cmdline, String environ, String maps) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(dir.resolve("comm"), comm + "\n");
        Files.writeString(dir.resolve("cmdline"), cmdline.replace(' ', '\0') + "\0");
        Files.writeString(dir.resolve("environ"), environ.replace('\n', '\0'), StandardCharsets.UTF_8);
        if (maps != null) {
            Files.writeString(dir.resolve("maps"), maps);
        }
        return new TargetProcess(proc, pid);
    }

    private static final String JVM_MAPS = "7f0000000000-7f0000001000 r--p 00000000 08:01 123 /usr/lib/jvm/lib/server/libjvm.so\n";
    private static final String SLEEP_MAPS = "55d000000000-55d000001000 r--p 00000000 08:01 99 /usr/bin/sleep\n";

    @Test
    void readsTheCommandLineAndTheExecutable() throws IOException {
        TargetProcess p = process(42, "java", "/opt/jdk/bin/java -cp app.jar com.acme.Main", "", JVM_MAPS);
        assertTrue(p.exists());
        assertEquals("java", p.command());
        assertEquals(List.of("/opt/jdk/bin/java", "-cp", "app.jar", "com.acme.Main"), p.argv());
        assertEquals("42 (com.acme.Main)", p.describe());
        assertFalse(new TargetProcess(proc, 43).exists());
    }

    @Test
    void aJvmIsAProcessWithLibjvmMapped() throws IOException {
        assertEquals(Boolean.TRUE, process(1, "java", "java Main", "", JVM_MAPS).isJvm());
        assertEquals(Boolean.FALSE, process(2, "sleep", "sleep 30", "", SLEEP_MAPS).isJvm());
        assertNull(process(3, "secret", "x", "", null).isJvm(), "unreadable maps: unknown, not 'no'");
    }

    @Test
    void theLastSettingOfAFlagWinsWithTheEnvironmentReadFirst() throws IOException {
        TargetProcess disabled = process(5, "java", "java -XX:+DisableAttachMechanism Main", "", JVM_MAPS);
        assertEquals(Boolean.TRUE, disabled.flag("DisableAttachMechanism"));
        assertNull(disabled.flag("EnableDynamicAgentLoading"));

        TargetProcess fromEnv = process(6, "java", "java Main",
                "HOME=/root\nJAVA_TOOL_OPTIONS=-Xmx1g  -XX:+DisableAttachMechanism\nPATH=/bin", JVM_MAPS);
        assertEquals(Boolean.TRUE, fromEnv.flag("DisableAttachMechanism"));

        TargetProcess overridden = process(7, "java", "java -XX:-DisableAttachMechanism Main",
                "JDK_JAVA_OPTIONS=-XX:+DisableAttachMechanism", JVM_MAPS);
        assertEquals(Boolean.FALSE, overridden.flag("DisableAttachMechanism"), "the command line comes last");

        TargetProcess notAnOptionVariable = process(8, "java", "java Main", "MY_OPTS=-XX:+DisableAttachMechanism", JVM_MAPS);
        assertNull(notAnOptionVariable.flag("DisableAttachMechanism"));
    }

    @Test
    void theChecksBeforeAttachingNameTheProblem() throws IOException {
        User me = User.current();
        Failure missing = assertThrows(Failure.class,
                () -> Attachment.check(new TargetProcess(proc, 77), me, "hint"));
        assertEquals("no process 77", missing.getMessage());
        assertEquals(Exit.FAILED, missing.exit());

        TargetProcess sleep = process(78, "sleep", "sleep 30", "", SLEEP_MAPS);
        Failure notJvm = assertThrows(Failure.class, () -> Attachment.check(sleep, me, "hint"));
        assertTrue(notJvm.getMessage().startsWith("process 78 (sleep 30) is not a Java virtual machine"),
                notJvm.getMessage());

        TargetProcess refusing = process(79, "java", "java -XX:+DisableAttachMechanism Main", "", JVM_MAPS);
        Failure disabled = assertThrows(Failure.class, () -> Attachment.check(refusing, me, "start it with -javaagent"));
        assertEquals("JVM 79 (Main) runs with -XX:+DisableAttachMechanism: it refuses every attach (this command, jcmd, "
                + "jconsole); start it with -javaagent", disabled.getMessage());

        Failure self = assertThrows(Failure.class,
                () -> Attachment.check(TargetProcess.of(ProcessHandle.current().pid()), me, "hint"));
        assertTrue(self.getMessage().endsWith("is this command itself"), self.getMessage());
    }

    @Test
    void anotherUsersProcessIsRefusedUnlessWeAreRoot() throws IOException {
        TargetProcess jvm = process(80, "java", "java Main", "", JVM_MAPS);
        User owner = jvm.owner();
        User stranger = new User(owner.uid() + 12345, "stranger");
        Failure f = assertThrows(Failure.class, () -> Attachment.check(jvm, stranger, "hint"));
        assertTrue(f.getMessage().startsWith("process 80 belongs to user " + owner + " and you are stranger (uid "),
                f.getMessage());
        assertTrue(f.getMessage().contains("run this command as " + owner.name()), f.getMessage());
        // root may attach to anyone's JVM: the checks pass
        Attachment.check(jvm, new User(0, "root"), "hint");
    }

    @Test
    void javaFeatureFromTheSpecificationVersion() {
        assertEquals(17, Attachment.javaFeature("17"));
        assertEquals(8, Attachment.javaFeature("1.8"));
        assertEquals(25, Attachment.javaFeature("25"));
        assertEquals(0, Attachment.javaFeature(null));
        assertEquals(0, Attachment.javaFeature("x"));
    }

    @Test
    void theNamespacePidsComeFromNSpidOuterFirst() throws IOException {
        TargetProcess nested = process(9835, "java", "java Main", "", JVM_MAPS);
        Files.writeString(proc.resolve("9835/status"), "Name:\tjava\nPid:\t9835\nNSpid:\t9835\t1\nUid:\t0\n");
        assertEquals(List.of(9835L, 1L), nested.namespacePids());
        assertEquals(List.of(7L), process(7, "java", "java Main", "", JVM_MAPS).namespacePids(), "no status: its pid here");
    }

    @Test
    void aJvmMapsThePerfDataFileItIsListedBy() throws IOException {
        String maps = JVM_MAPS + "7f0000002000-7f0000003000 rw-s 00000000 00:22 77 /tmp/hsperfdata_root/1\n";
        TargetProcess p = process(9835, "java", "java Main", "", maps);
        assertEquals(Boolean.TRUE, p.mapsPerfData("1"));
        assertEquals(Boolean.FALSE, p.mapsPerfData("9835"), "listed under another id: another process's file");
        assertEquals(Boolean.FALSE, p.mapsPerfData("11"));
        assertNull(process(3, "secret", "x", "", null).mapsPerfData("3"));
    }

    @Test
    void aPathInsideTheProcessIsReachedThroughItsRoot() throws IOException {
        TargetProcess p = process(12, "java", "java Main", "", JVM_MAPS);
        Path root = Files.createDirectories(proc.resolve("12/root"));
        assertEquals(root.resolve("tmp/x"), p.pathInside("/tmp/x"));
    }

    @Test
    void aNestedJvmIsKnownByItsInnerPidWhenItsPerfDataIsTheFileSeenHere() throws IOException {
        Path tmp = Files.createDirectories(world.resolve("tmp-here"));
        Path perf = Files.createDirectories(tmp.resolve("hsperfdata_root"));
        Files.writeString(perf.resolve("1"), "perf");
        process(9835, "java", "java Main", "", JVM_MAPS);
        Files.writeString(proc.resolve("9835/status"), "NSpid:\t9835\t1\n");
        // its root is this file system: its /tmp/hsperfdata_root/1 is the file seen here
        Files.createSymbolicLink(proc.resolve("9835/root"), world.resolve("fake-root"));
        Files.createDirectories(world.resolve("fake-root"));
        Files.createSymbolicLink(world.resolve("fake-root/tmp"), tmp);
        process(4000, "java", "java Other", "", JVM_MAPS); // not nested: no alias
        NestedJvms nested = NestedJvms.scan(proc, tmp, List.of(9835L, 4000L));
        assertEquals(9835L, nested.aliasOf(1));
        assertNull(nested.aliasOf(4000));

        // a nested JVM whose /tmp is its own: the perf file here under 1 is someone else's
        Files.delete(world.resolve("fake-root/tmp"));
        Files.createDirectories(world.resolve("fake-root/tmp/hsperfdata_root"));
        Files.writeString(world.resolve("fake-root/tmp/hsperfdata_root/1"), "other");
        assertNull(NestedJvms.scan(proc, tmp, List.of(9835L)).aliasOf(1));
    }
}
