package io.ephemera.track;

import java.lang.StackWalker.StackFrame;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds the call site of the current thread: walks only the frames it needs, hashes them, and
 * looks the hash up among the sites it knows. A known site costs one stack walk and no string;
 * only a new site materialises its frames as text.
 *
 * <p>Identity: from the first frame outside the JDK and the agent, {@code stack.depth} frames,
 * extended to the first application frame when that lies deeper, so two application callers of
 * the same library are two sites. Label: that application frame; failing one, the first library
 * frame; failing that (a JDK thread such as the HTTP client's selector), the first JDK frame that
 * is not socket plumbing.
 */
final class CallSites {

    static final String OTHER_KEY = "(other)";
    /** Frames walked at the most while looking for an application frame. */
    private static final int MAX_WALK = 1024;
    /** Frames shown of a library thread that connected for a site: an event loop's whole stack, about. */
    private static final int MAX_CONNECTED_ON = 48;

    private static final StackWalker WALKER =
            StackWalker.getInstance(EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE));

    private final FrameKind.Classifier kinds;
    private final int depth;
    private final Clock clock;
    private final Table table;
    private final CallSite other;
    private final Map<String, Integer> labelUses = new HashMap<>(); // guarded by this
    private final Function<Stream<StackFrame>, CallSite> finder = frames -> find(frames, 0);

    CallSites(int max, int depth, List<String> libraries, CodeSource agentSource, Clock clock) {
        this.kinds = new FrameKind.Classifier(libraries, agentSource);
        this.depth = depth;
        this.clock = clock;
        this.table = new Table(max);
        this.other = new CallSite(0, OTHER_KEY, OTHER_KEY, "", false, clock);
    }

    /** The call site of the current thread. */
    CallSite current() {
        return current(0);
    }

    /**
     * The call site of an accept on the current thread: its stack and the local port it accepted
     * on, so two servers whose accept loops share code (two {@code HttpServer}s) are two sites,
     * each labelled {@code ... on :PORT}. {@code localPort} 0 (unknown) is not told apart. (A
     * thread's last accept site is not reused for its next accept on the same port without a
     * walk: one thread may accept on one server socket from two places, {@code accept()} and
     * {@code socket().accept()}, and those are two sites.)
     */
    CallSite accepting(int localPort) {
        return current(localPort);
    }

    private CallSite current(int port) {
        CallSite site = port == 0 ? WALKER.walk(finder) : WALKER.walk(frames -> find(frames, port));
        if (site != null) {
            return site;
        }
        if (table.full()) {
            return other;
        }
        return create(port);
    }

    List<CallSite> all() {
        List<CallSite> all = table.entries();
        Stats s = other.stats();
        if (s.connects() + s.accepts() + s.failures() > 0) {
            all.add(other);
        }
        return all;
    }

    private synchronized CallSite create(int port) {
        Walk w = WALKER.walk(s -> {
            Walk collecting = new Walk(true);
            collecting.run(s);
            return collecting;
        });
        long hash = salted(w.result(), port);
        int h = fold(hash);
        CallSite site = table.find(h, null, hash);
        if (site != null) {
            return site;
        }
        List<StackFrame> frames = w.chosenFrames();
        boolean application = false;
        for (StackFrame f : frames) {
            application |= kinds.get(f.getDeclaringClass()) == FrameKind.APPLICATION;
        }
        String label = port == 0 ? label(frames) : label(frames) + " on :" + port;
        StringBuilder stack = new StringBuilder();
        for (StackFrame f : w.displayFrames()) {
            stack.append(format(f)).append('\n');
        }
        int uses = labelUses.merge(label, 1, Integer::sum);
        String key = uses == 1 ? label : label + " #" + uses;
        site = table.insert(h, null, hash, new CallSite(hash, key, label, stack.toString(), application, clock));
        return site != null ? site : other;
    }

    /**
     * Notes, once per site, the stack of the library thread connecting now on behalf of
     * {@code site}: the site's stack item shows the application's frames, then these.
     */
    void connectedOn(CallSite site) {
        if (site.hasConnectedOn()) {
            return;
        }
        StringBuilder out = new StringBuilder("--- connected on thread ").append(Thread.currentThread().getName())
                .append(" ---\n");
        WALKER.forEach(new java.util.function.Consumer<StackFrame>() {
            int n;

            @Override
            public void accept(StackFrame f) {
                if (n < MAX_CONNECTED_ON && (n > 0 || kinds.get(f.getDeclaringClass()) != FrameKind.AGENT)) {
                    out.append(format(f)).append('\n');
                    n++;
                }
            }
        });
        site.connectedOn(out.toString());
    }

    private String label(List<StackFrame> frames) {
        StackFrame library = null;
        StackFrame jdk = null;
        for (StackFrame f : frames) {
            FrameKind k = kinds.get(f.getDeclaringClass());
            if (k == FrameKind.APPLICATION) {
                return format(f);
            }
            if (k == FrameKind.LIBRARY && library == null) {
                library = f;
            }
            if (k == FrameKind.JDK && jdk == null && !FrameKind.isPlumbing(f.getClassName())) {
                jdk = f;
            }
        }
        StackFrame best = library != null ? library : jdk != null ? jdk : frames.isEmpty() ? null : frames.get(0);
        return best == null ? "(unknown)" : format(best);
    }

    /** {@code com.acme.Billing.charge(Billing.java:42)}: a stack trace element without the loader prefix. */
    static String format(StackFrame f) {
        String file = f.getFileName();
        int line = f.getLineNumber();
        String where;
        if (f.isNativeMethod()) {
            where = "Native Method";
        } else if (file == null) {
            where = "Unknown Source";
        } else if (line >= 0) {
            where = file + ":" + line;
        } else {
            where = file;
        }
        return f.getClassName() + "." + f.getMethodName() + "(" + where + ")";
    }

    private CallSite find(Stream<StackFrame> frames, int port) {
        Walk w = new Walk(false);
        w.run(frames);
        long hash = salted(w.result(), port);
        return table.find(fold(hash), null, hash);
    }

    /** An accept's identity: its stack's and its local port's. */
    private static long salted(long hash, int port) {
        return port == 0 ? hash : mix(hash, 0x5A17_0000_0000_0000L | port);
    }

    private static int fold(long hash) {
        return (int) (hash ^ (hash >>> 32));
    }

    /**
     * One pass over the stack computing both candidate identities: from the first non-agent
     * frame (used when the stack has no frame outside the JDK) and from the first frame outside
     * the JDK. With {@code collect} it also keeps the frames of the chosen identity.
     */
    private final class Walk {
        final boolean collect;
        final List<StackFrame> frames;
        final List<StackFrame> jdkFrames;
        long all = 0x9E3779B97F4A7C15L;
        long app = 0x9E3779B97F4A7C15L;
        int nAll;
        int nApp;
        boolean outsideJdk;
        boolean labelled;
        /** Frames walked before the first one outside the JDK: the socket plumbing the call went through. */
        int leading;

        Walk(boolean collect) {
            this.collect = collect;
            this.frames = collect ? new ArrayList<>() : null;
            this.jdkFrames = collect ? new ArrayList<>() : null;
        }

        void run(Stream<StackFrame> stack) {
            stack.limit(MAX_WALK).anyMatch(this::step); // anyMatch stops the walk at the first true
        }

        /** Takes one frame; true when the identity is complete. */
        private boolean step(StackFrame f) {
            FrameKind k = kinds.get(f.getDeclaringClass());
            if (k == FrameKind.AGENT && nAll == 0) {
                return false;
            }
            long fh = frameHash(f);
            if (nAll < depth) {
                all = mix(all, fh);
                nAll++;
                if (collect) {
                    jdkFrames.add(f);
                }
            }
            if (!outsideJdk && k != FrameKind.JDK && k != FrameKind.AGENT) {
                outsideJdk = true;
            }
            if (!outsideJdk) {
                leading++;
                return false;
            }
            if (nApp < depth || !labelled) {
                app = mix(app, fh);
                nApp++;
                if (collect) {
                    frames.add(f);
                }
            }
            if (k == FrameKind.APPLICATION) {
                labelled = true;
            }
            return labelled && nApp >= depth;
        }

        List<StackFrame> chosenFrames() {
            return outsideJdk ? frames : jdkFrames;
        }

        /**
         * What the stack item shows: the JDK frames the call went through (which tell the client
         * library, e.g. HttpURLConnection) followed by the identifying frames.
         */
        List<StackFrame> displayFrames() {
            if (!outsideJdk) {
                return jdkFrames;
            }
            List<StackFrame> all = new ArrayList<>(jdkFrames.subList(0, Math.min(leading, jdkFrames.size())));
            all.addAll(frames);
            return all;
        }

        long result() {
            return outsideJdk ? app : all;
        }
    }

    /**
     * A frame's identity without resolving its method name (which costs more than the walk itself
     * on JDK 17): the class and the bytecode index. Two methods of one class calling at the same
     * index in every frame of a stack would share a site; across a whole stack that does not happen
     * in practice.
     */
    private static long frameHash(StackFrame f) {
        long h = System.identityHashCode(f.getDeclaringClass());
        return h * 65_599 + f.getByteCodeIndex();
    }

    private static long mix(long h, long v) {
        h ^= v;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    private static final class Table extends InternTable<CallSite> {
        Table(int max) {
            super(max);
        }

        @Override
        boolean matches(CallSite site, Object unused, long hash) {
            return site.hash() == hash;
        }
    }
}
