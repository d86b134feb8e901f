package io.ephemera.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts the {@code io.ephemera.hook} classes into the bootstrap class loader, where the calls
 * woven into {@code java.net} and {@code sun.nio.ch} can see them. Defines them there directly
 * where the JDK allows it (the class-data-sharing archive stays in use and the JVM prints nothing);
 * otherwise appends a private temporary jar to the bootstrap search path.
 *
 * <p>This class must not refer to {@code Hook} or {@code Sink}: were the application class loader
 * to load them first, the agent and the JDK would see two different hooks.
 */
final class BootstrapInjector {

    static final String HOOK_CLASS = "io.ephemera.hook.Hook";
    private static final String HOOK_PACKAGE_PATH = "io/ephemera/hook/";
    /** Defined first: the other hook classes implement it. */
    private static final String SINK_ENTRY = HOOK_PACKAGE_PATH + "Sink.class";

    private BootstrapInjector() {
    }

    /** The hook class as the bootstrap loader has it, or null when not injected yet. */
    static Class<?> bootstrapHook() {
        try {
            return Class.forName(HOOK_CLASS, false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** Whether an agent already installed its sink in this JVM (loaded twice, or premain then attach). */
    static boolean agentAlreadyInstalled() {
        Class<?> hook = bootstrapHook();
        if (hook == null) {
            return false;
        }
        try {
            return (Boolean) hook.getMethod("installed").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // a hook we cannot read: do not instrument a second time
        }
    }

    /** Injects the hook classes unless they are there already; throws when they cannot be. */
    static void inject(Instrumentation inst) throws IOException {
        if (bootstrapHook() != null) {
            return;
        }
        Path agentJar = agentJar();
        Map<String, byte[]> classes = hookClasses(agentJar);
        if (!defineInBootLoader(inst, classes)) {
            appendJar(inst, classes);
        }
        if (bootstrapHook() == null) {
            throw new IOException("the bootstrap class loader does not see " + HOOK_CLASS);
        }
    }

    /**
     * Defines the classes in the bootstrap loader through the JDK's internal {@code Unsafe}, which
     * the instrumentation lets this module reach. Returns false where that is not possible.
     */
    private static boolean defineInBootLoader(Instrumentation inst, Map<String, byte[]> classes) {
        try {
            Module javaBase = Object.class.getModule();
            Module self = BootstrapInjector.class.getModule();
            inst.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.misc", Set.of(self)), Map.of(), Set.of(),
                    Map.of());
            Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
            Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                    ClassLoader.class, java.security.ProtectionDomain.class);
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
                define.invoke(unsafe, e.getKey(), e.getValue(), 0, e.getValue().length, null, null);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return bootstrapHook() != null;
        }
    }

    /** The hook classes by binary name, {@code Sink} first. */
    private static Map<String, byte[]> hookClasses(Path agentJar) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarFile source = new JarFile(agentJar.toFile())) {
            JarEntry sink = source.getJarEntry(SINK_ENTRY);
            if (sink == null) {
                throw new IOException("no " + SINK_ENTRY + " in " + agentJar);
            }
            classes.put(binaryName(SINK_ENTRY), read(source, sink));
            Enumeration<JarEntry> entries = source.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                String name = e.getName();
                if (name.startsWith(HOOK_PACKAGE_PATH) && name.endsWith(".class") && !name.equals(SINK_ENTRY)
                        && !name.endsWith("package-info.class")) {
                    classes.put(binaryName(name), read(source, e));
                }
            }
        }
        return classes;
    }

    private static byte[] read(JarFile jar, JarEntry entry) throws IOException {
        try (InputStream in = jar.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    private static String binaryName(String entry) {
        return entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
    }

    private static void appendJar(Instrumentation inst, Map<String, byte[]> classes) throws IOException {
        Path dir;
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            dir = Files.createTempDirectory("ephemera-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            dir = Files.createTempDirectory("ephemera-");
        }
        Path jar = dir.resolve("ephemera-bootstrap.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey().replace('.', '/') + ".class"));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        jar.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
    }

    /** The jar this agent was loaded from. */
    static Path agentJar() throws IOException {
        CodeSource cs = BootstrapInjector.class.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            throw new IOException("cannot tell which jar the agent was loaded from");
        }
        try {
            Path p = Path.of(cs.getLocation().toURI());
            if (!Files.isRegularFile(p)) {
                throw new IOException("the agent is not running from a jar: " + p);
            }
            return p;
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
