package io.ephemera.agent;

import io.ephemera.hook.Hook;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Weaves the hooks into the JDK's socket classes and checks that every hook took; hooks the
 * libraries' classes ({@link LibraryHooks}) as they load, and those already loaded at attach. A hook
 * whose method is not there matches nothing, and one whose field is not there leaves its class
 * untransformed, so each hook is verified against the class the JVM actually has, and what is
 * missing is reported with the JDK's name.
 *
 * <p>The transformer is the agent's own {@link Weaver} (ASM's core classes) over a
 * {@link ClassFileTransformer}: no class is injected anywhere and the class format never changes, so
 * retransformation of already loaded classes works.
 */
final class Installer {

    private final List<HookPoint> hooks = HookPoint.all();
    private final Map<String, List<HookPoint>> byInternalName = new LinkedHashMap<>();
    /** Methods each hook matched when its class was transformed. */
    private final Map<HookPoint, Integer> matched = new ConcurrentHashMap<>();
    private final Map<String, Throwable> failedTypes = new ConcurrentHashMap<>();
    private final Set<String> transformedTypes = ConcurrentHashMap.newKeySet();
    private final List<String> missing = new CopyOnWriteArrayList<>();
    private final LibraryHooks libraries = new LibraryHooks(HookPoint.libraries());
    private Instrumentation inst;
    private boolean hookLibraries;

    Installer() {
        Weaver.requireAsm(); // fails the start (Agent says the jar lacks Byte Buddy) without it
    }

    /**
     * Installs every JDK hook, and the libraries' as their classes load unless {@code hookLibraries}
     * is false (a test switch); returns how many JDK hooks are in place.
     */
    int install(Instrumentation inst, boolean hookLibraries) {
        this.inst = inst;
        this.hookLibraries = hookLibraries;
        // the calls woven into java.base reach Woven and Hook, in the bootstrap loader's unnamed module
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Set.of(Hook.class.getModule()), Map.of(), Map.of(), Set.of(), Map.of());

        List<Class<?>> targets = new ArrayList<>();
        Map<String, List<HookPoint>> byClass = new LinkedHashMap<>();
        for (HookPoint h : hooks) {
            List<HookPoint> same = byClass.get(h.className); // no lambda: each costs the start a class spun
            if (same == null) {
                byClass.put(h.className, same = new ArrayList<>());
            }
            same.add(h);
        }
        // load (not initialise) every target, so that all are transformed and checked now
        for (Map.Entry<String, List<HookPoint>> e : byClass.entrySet()) {
            try {
                Class<?> type = Class.forName(e.getKey(), false, null);
                if (!inst.isModifiableClass(type)) {
                    throw new IllegalStateException("not modifiable");
                }
                targets.add(type);
                byInternalName.put(e.getKey().replace('.', '/'), e.getValue());
            } catch (ClassNotFoundException | LinkageError | RuntimeException ex) {
                for (HookPoint h : e.getValue()) {
                    missing.add(h.name() + " (" + describe(ex) + "; " + h.covers + " are not seen)");
                }
            }
        }
        inst.addTransformer(new Transformer(), true);
        try {
            inst.retransformClasses(targets.toArray(new Class<?>[0])); // one VM operation for all
        } catch (Throwable batch) {
            for (Class<?> type : targets) { // which one: each alone
                try {
                    inst.retransformClasses(type);
                } catch (Throwable t) {
                    failedTypes.putIfAbsent(type.getName(), t);
                }
            }
        }
        // libraries loaded before the agent (attach): their classes are rewritten now, the rest as they load
        for (Class<?> type : inst.getAllLoadedClasses()) {
            if (hookLibraries && type.getClassLoader() != null && libraries.match(type.getName().replace('.', '/')) != null) {
                try {
                    if (inst.isModifiableClass(type)) {
                        inst.retransformClasses(type);
                    }
                } catch (Throwable t) {
                    libraries.failed(type.getName(), t);
                }
            }
        }

        int installed = 0;
        for (List<HookPoint> points : byInternalName.values()) {
            for (HookPoint h : points) {
                Throwable error = failedTypes.get(h.className);
                if (error != null) {
                    missing.add(h.name() + " (" + describe(error) + "; " + h.covers + " are not seen)");
                } else if (!transformedTypes.contains(h.className)) {
                    missing.add(h.name() + " (class was not transformed; " + h.covers + " are not seen)");
                } else if (matched.getOrDefault(h, 0) == 0) {
                    missing.add(h.name() + " (no such method on this JDK; " + h.covers + " are not seen)");
                } else {
                    installed++;
                }
            }
        }
        return installed;
    }

    /**
     * Hooks that are not in place, each with the reason; empty when all are. A library's hooks are
     * missing only where a copy of the library loaded without them.
     */
    List<String> missing() {
        List<String> all = new ArrayList<>(missing);
        all.addAll(libraries.missing());
        return all;
    }

    /** Each library hook and where it stands (installed, missing, not loaded). */
    Map<String, String> libraryHooks() {
        return libraries.status();
    }

    /** Lines to log about libraries hooked since the last call. */
    List<String> libraryNews() {
        return libraries.news();
    }

    int expected() {
        return hooks.size();
    }

    /** {@code matched.merge(h, n, Math::max)} without a lambda (each costs the start a class spun). */
    private void max(HookPoint h, int n) {
        Integer before = matched.putIfAbsent(h, n);
        while (before != null && before < n && !matched.replace(h, before, n)) {
            before = matched.get(h);
        }
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Rewrites the target classes whenever the JVM (re)transforms them; ignores every other class. */
    private final class Transformer implements ClassFileTransformer {
        @Override
        public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined,
                                ProtectionDomain domain, byte[] classfile) {
            if (loader != null && internalName != null) {
                String suffix = hookLibraries ? libraries.match(internalName) : null;
                return suffix == null ? null : library(module, loader, internalName, suffix, redefined, classfile);
            }
            List<HookPoint> points = internalName == null || loader != null ? null : byInternalName.get(internalName);
            if (points == null) {
                return null;
            }
            String name = internalName.replace('/', '.');
            try {
                int[] counts = new int[points.size()];
                byte[] out = Weaver.weave(classfile, null, redefined, points, counts);
                for (int i = 0; i < points.size(); i++) {
                    max(points.get(i), counts[i]);
                }
                transformedTypes.add(name);
                return out;
            } catch (Throwable t) {
                failedTypes.put(name, t);
                return null; // the class stays as it was: the application is unaffected
            }
        }

        /** A library's class, in an application's class loader: resolved through that loader. */
        private byte[] library(Module module, ClassLoader loader, String internalName, String suffix,
                               Class<?> redefined, byte[] classfile) {
            String name = internalName.replace('/', '.');
            String copy = LibraryHooks.copyOf(internalName, suffix);
            try {
                if (module != null && module.isNamed() && !module.canRead(Hook.class.getModule())) {
                    inst.redefineModule(module, Set.of(Hook.class.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
                }
                List<HookPoint> points = libraries.hooksOf(suffix);
                int[] counts = new int[points.size()];
                byte[] out = Weaver.weave(classfile, loader, redefined, points, counts);
                for (int i = 0; i < points.size(); i++) {
                    libraries.matched(points.get(i), copy, counts[i]);
                }
                return out;
            } catch (Throwable t) {
                libraries.failed(name, t);
                return null; // the library's class stays as it was
            }
        }
    }
}
