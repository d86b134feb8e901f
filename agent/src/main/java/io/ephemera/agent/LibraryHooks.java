package io.ephemera.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hooks into libraries' classes (Netty's transports, HTTP and RPC clients), which load after the agent
 * starts, usually long after, in any class loader, and in as many copies as the application has
 * (a shading plugin moves one to {@code io.grpc.netty.shaded.io.netty...}). A class is matched by
 * the end of its name; each copy is known by the package prefix a shading plugin put before it.
 *
 * <p>A library that never loads costs a few {@code endsWith} per class the JVM loads, and nothing
 * is reported about it beyond "not loaded": the start line and the JDK's hook count stay as they
 * are. A hook whose class loaded but whose method is not there is missing, like a JDK hook.
 */
final class LibraryHooks {

    private final List<HookPoint> hooks;
    /** Internal name of each hooked class, e.g. {@code io/netty/channel/unix/Socket}, to its hooks. */
    private final Map<String, List<HookPoint>> byClass = new LinkedHashMap<>();
    private final String[] suffixes;
    /** Hook → copy prefix ("" when not shaded) → methods matched in that copy. */
    private final Map<HookPoint, Map<String, Integer>> matched = new ConcurrentHashMap<>();
    /** Hooked class (binary name) that could not be transformed → why. */
    private final Map<String, String> failed = new ConcurrentHashMap<>();
    private final Map<String, Integer> announced = new ConcurrentHashMap<>();

    LibraryHooks(List<HookPoint> hooks) {
        this.hooks = hooks;
        for (HookPoint h : hooks) {
            String internal = h.className.replace('.', '/');
            List<HookPoint> same = byClass.get(internal); // no lambda at start: each costs a class spun
            if (same == null) {
                byClass.put(internal, same = new ArrayList<>());
            }
            same.add(h);
        }
        this.suffixes = byClass.keySet().toArray(new String[0]);
    }

    /**
     * The hooked class an internal name is a copy of ({@code io/netty/channel/unix/Socket}), or
     * null. Called for every class the JVM loads: a few comparisons, nothing allocated.
     */
    String match(String internalName) {
        for (String s : suffixes) {
            if (internalName.endsWith(s)) {
                int before = internalName.length() - s.length() - 1;
                if (before < 0 || internalName.charAt(before) == '/') {
                    return s;
                }
            }
        }
        return null;
    }

    List<HookPoint> hooksOf(String suffix) {
        return byClass.get(suffix);
    }

    /** The package prefix a shading plugin put before the library's own name, "" for none. */
    static String copyOf(String internalName, String suffix) {
        return internalName.substring(0, internalName.length() - suffix.length()).replace('/', '.');
    }

    void matched(HookPoint h, String copy, int methods) {
        matched.computeIfAbsent(h, k -> new ConcurrentHashMap<>()).merge(copy, methods, Math::max);
    }

    void failed(String className, Throwable t) {
        failed.putIfAbsent(className, t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
    }

    /** Hooks whose class loaded without them, each with the reason; nothing for a library that never loaded. */
    List<String> missing() {
        List<String> out = new ArrayList<>();
        for (HookPoint h : hooks) {
            for (Map.Entry<String, Integer> e : copies(h).entrySet()) {
                if (e.getValue() == 0) {
                    out.add(e.getKey() + h.className + "." + h.method + " (no such method in this version; "
                            + h.covers + " are not seen)");
                }
            }
        }
        for (Map.Entry<String, String> e : new TreeMap<>(failed).entrySet()) {
            out.add(e.getKey() + " (" + e.getValue() + "; its hooks are not installed)");
        }
        return out;
    }

    /**
     * Each library hook and where it stands: {@code installed} (with the shaded copies' prefixes),
     * {@code missing}, or {@code not loaded} while no copy of its class has loaded.
     */
    Map<String, String> status() {
        Map<String, String> out = new LinkedHashMap<>();
        for (HookPoint h : hooks) {
            List<String> in = new ArrayList<>();
            List<String> without = new ArrayList<>();
            for (Map.Entry<String, Integer> e : copies(h).entrySet()) {
                String copy = e.getKey() + h.root;
                (e.getValue() > 0 ? in : without).add(copy);
            }
            String status;
            if (in.isEmpty() && without.isEmpty()) {
                status = "not loaded";
            } else if (without.isEmpty()) {
                status = "installed in " + String.join(", ", in);
            } else {
                status = "missing in " + String.join(", ", without) + (in.isEmpty() ? "" : "; installed in "
                        + String.join(", ", in));
            }
            out.put(h.name(), status);
        }
        return out;
    }

    /**
     * A line for each copy of the library whose number of installed hooks changed since the last
     * call; for the housekeeping thread to log, never the thread that loaded the class.
     */
    List<String> news() {
        Map<String, int[]> loaded = new TreeMap<>(); // library (copy) -> {hooks installed, hooks whose class loaded}
        for (HookPoint h : hooks) {
            for (Map.Entry<String, Integer> e : copies(h).entrySet()) {
                int[] n = loaded.computeIfAbsent(h.library + " (" + e.getKey() + h.root + ")", k -> new int[2]);
                n[0] += e.getValue() > 0 ? 1 : 0;
                n[1]++;
            }
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, int[]> e : loaded.entrySet()) {
            int key = e.getValue()[0] * 1000 + e.getValue()[1];
            Integer before = announced.put(e.getKey(), key);
            if (before == null || before != key) {
                out.add(e.getKey() + " loaded: " + e.getValue()[0] + " of "
                        + e.getValue()[1] + " hooks of its loaded classes in place");
            }
        }
        return out;
    }

    private Map<String, Integer> copies(HookPoint h) {
        return matched.getOrDefault(h, Map.of());
    }
}
