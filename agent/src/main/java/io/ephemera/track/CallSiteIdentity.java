package io.ephemera.track;

import io.ephemera.hook.Backtraces;

import java.lang.StackWalker.StackFrame;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How {@link CallSites} tells one call site from another.
 * <ul>
 * <li>{@link #BACKTRACE}: from the VM's backtrace of a fresh {@code Throwable}, read without
 * resolving any frame: per frame the class and the bytecode index. Frames are resolved to names
 * and lines only for a site not seen before. HotSpot only; checked once against
 * {@link StackWalker} at start. The VM captures the whole stack, so a thread whose stack is deep
 * walks it instead for a while, with the same hashes ({@link CallSites#DEEP_CHUNKS}).</li>
 * <li>{@link #STACKWALKER}: a {@link StackWalker} walk, per frame the class and the bytecode
 * index. Wherever the backtrace cannot be read or does not look as expected, and when
 * the option {@code callsites.backtrace=false} asks for it.</li>
 * </ul>
 */
public enum CallSiteIdentity {
    BACKTRACE("backtrace"), STACKWALKER("stackwalker");

    private final String label;

    CallSiteIdentity(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }

    // ---- the backtrace as HotSpot keeps it (java_lang_Throwable in javaClasses.hpp) -----------
    // a chunk is an Object[]: [0] short[] method idnums, [1] int[] bci << 16 | constant pool
    // version, [2] Object[] the classes, [3] long[] method names, then on JDK 19+ [4] continuation
    // scope names, then the next chunk and a hidden-top-frame flag: the next chunk is second last.

    static final int METHODS = 0;
    static final int BCIS = 1;
    static final int MIRRORS = 2;

    /** The index of the next chunk in a chunk, as found at start; -1 before or where unusable. */
    static volatile int next = -1;

    /** A throwable that only records the stack: its constructor's frames are not in it. */
    static final class Capture extends Throwable {
        private static final long serialVersionUID = 1L;

        Capture() {
            super(null, null, false, true);
        }
    }

    private static final Class<?>[] REFLECTION = reflectionClasses();

    /**
     * Whether {@link StackWalker} also leaves out the frames of {@code java.lang.invoke.LambdaForm*}
     * classes (most are hidden anyway): up to JDK 21 (read in its source), not in JDK 25; JDK 22-24
     * are taken to be as 25.
     */
    private static final boolean LAMBDA_FORMS_SKIPPED = Runtime.version().feature() <= 21;

    /**
     * Frames {@link StackWalker} leaves out and the backtrace keeps: reflection's (as the JDK's
     * {@code StackStreamFactory.isReflectionFrame}).
     */
    static final ClassValue<Boolean> SKIPPED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
            if (c == Method.class || c == Constructor.class
                    || (LAMBDA_FORMS_SKIPPED && c.getName().startsWith("java.lang.invoke.LambdaForm"))) {
                return true;
            }
            for (Class<?> r : REFLECTION) {
                if (r.isAssignableFrom(c)) {
                    return true;
                }
            }
            return false;
        }
    };

    private static Class<?>[] reflectionClasses() {
        List<Class<?>> out = new ArrayList<>();
        for (String name : new String[] {"jdk.internal.reflect.MethodAccessor", "jdk.internal.reflect.ConstructorAccessor"}) {
            try {
                out.add(Class.forName(name, false, null));
            } catch (ClassNotFoundException | LinkageError e) {
                // not in this JDK
            }
        }
        return out.toArray(new Class<?>[0]);
    }

    /**
     * Opens {@code java.lang} to the module of {@link Backtraces} only (the bootstrap loader's
     * unnamed module once the hook classes are injected), so it can read the backtrace. Must run
     * before anything uses {@link Backtraces}.
     */
    static void open(Instrumentation inst) {
        if (inst == null) {
            return;
        }
        try {
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of(),
                    Map.of("java.lang", Set.of(Backtraces.class.getModule())), Set.of(), Map.of());
        } catch (RuntimeException | LinkageError e) {
            // left closed: the stack walker it is
        }
    }

    private static volatile CallSiteIdentity detected;

    /** The fastest identity that works in this JVM: checked once, then remembered. */
    static CallSiteIdentity detect() {
        CallSiteIdentity d = detected;
        if (d == null) {
            d = backtraceWorks() ? BACKTRACE : STACKWALKER;
            detected = d;
        }
        return d;
    }

    /** {@link #detect()} when {@code backtrace} (the option {@code callsites.backtrace}), else {@link #STACKWALKER}. */
    static CallSiteIdentity choose(boolean backtrace) {
        return backtrace ? detect() : STACKWALKER;
    }

    /** Whether the backtrace can be read and decodes to what {@link StackWalker} sees. */
    static boolean backtraceWorks() {
        try {
            if (!Backtraces.available()) {
                return false;
            }
            // from a static initializer run through Class.forName: a native frame (forName0) in the stack
            Class.forName(Probe.class.getName(), true, Probe.class.getClassLoader());
            return Probe.WORKS;
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static final class Probe {
        static final boolean WORKS = probe(40, true);
    }

    // two methods calling each other at different bytecode indexes, more than a chunk deep
    private static boolean probe(int n, boolean a) {
        if (n == 0) {
            return compare();
        }
        return a ? probe(n - 1, !a) : probeOther(n - 1, !a);
    }

    private static boolean probeOther(int n, boolean a) {
        boolean dummy = n < 0;
        return dummy || probe(n, a);
    }

    private static final StackWalker WALKER =
            StackWalker.getInstance(EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE));

    private static boolean compare() {
        Throwable t = new Capture();
        List<StackFrame> walked = WALKER.walk(s -> s.collect(Collectors.toList()));
        List<Class<?>> classes = new ArrayList<>();
        List<Integer> bcis = new ArrayList<>();
        int nextAt = decode(t, classes, bcis, null);
        if (nextAt < 0 || classes.size() != walked.size() || walked.size() < 40) {
            return false;
        }
        for (int i = 0; i < walked.size(); i++) {
            StackFrame f = walked.get(i);
            // the top frame is this method, captured at two places
            if (f.getDeclaringClass() != classes.get(i) || (i > 0 && bci(f) != bcis.get(i))) {
                return false;
            }
        }
        next = nextAt;
        return true;
    }

    /**
     * A walked frame's bytecode index as the backtrace has it: 0 for a native method's frame,
     * where the walk says -1.
     */
    static int bci(StackFrame f) {
        return Math.max(0, f.getByteCodeIndex());
    }

    /**
     * Decodes {@code t}'s backtrace checking its shape as it goes: the class, bytecode index and
     * (with {@code methods}) method number of each frame a {@link StackWalker} would show. Returns
     * where a chunk keeps the next one, or -1 when the backtrace is not as expected.
     */
    static int decode(Throwable t, List<Class<?>> classes, List<Integer> bcis, List<Integer> methods) {
        Object first = Backtraces.of(t);
        if (!(first instanceof Object[])) {
            return -1;
        }
        Object[] chunk = (Object[]) first;
        int nextAt = chunk.length - 2;
        if (nextAt <= MIRRORS) {
            return -1;
        }
        StackTraceElement[] elements = t.getStackTrace();
        int raw = 0;
        while (chunk != null) {
            if (!(chunk[METHODS] instanceof short[] && chunk[BCIS] instanceof int[] && chunk[MIRRORS] instanceof Object[])) {
                return -1;
            }
            short[] m = (short[]) chunk[METHODS];
            int[] b = (int[]) chunk[BCIS];
            Object[] mirrors = (Object[]) chunk[MIRRORS];
            if (b.length != mirrors.length || m.length != mirrors.length) {
                return -1;
            }
            for (int i = 0; i < mirrors.length && mirrors[i] != null; i++) {
                // the names the JDK resolves from the same backtrace agree, frame by frame
                if (!(mirrors[i] instanceof Class) || raw >= elements.length
                        || !((Class<?>) mirrors[i]).getName().equals(elements[raw].getClassName())) {
                    return -1;
                }
                raw++;
                if (!SKIPPED.get((Class<?>) mirrors[i])) {
                    classes.add((Class<?>) mirrors[i]);
                    bcis.add(b[i] >>> 16);
                    if (methods != null) {
                        methods.add(m[i] & 0xFFFF);
                    }
                }
            }
            Object n = chunk[nextAt];
            if (n != null && !(n instanceof Object[] && ((Object[]) n).length == chunk.length)) {
                return -1;
            }
            chunk = (Object[]) n;
        }
        return raw == elements.length ? nextAt : -1;
    }
}
