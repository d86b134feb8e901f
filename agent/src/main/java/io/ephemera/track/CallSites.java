package io.ephemera.track;

import java.lang.StackWalker.StackFrame;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Finds the call site of the current thread: hashes the frames it needs and looks the hash up
 * among the sites it knows. A known site costs one stack capture and no string; only a new site
 * materialises its frames as text. The frames come from the VM's backtrace of a fresh
 * {@code Throwable} or from a {@link StackWalker} walk, as {@link CallSiteIdentity} decides.
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
    private final CallSiteIdentity identity;
    /** With {@link CallSiteIdentity#BACKTRACE}: where a backtrace chunk keeps the next one. */
    private final int nextChunk;
    private final Map<String, Integer> labelUses = new HashMap<>(); // guarded by this
    private final Function<Stream<StackFrame>, CallSite> finder = frames -> find(frames, 0);

    /**
     * Backtrace chunks (32 frames each) beyond which capturing the whole stack costs more than
     * walking the frames the identity needs (JMH, CallSiteBench: the backtrace 2-3 us at 25-55
     * frames, 8-10 us at 135; the walk 3-11 us, about flat).
     */
    static final int DEEP_CHUNKS = 3;
    /** Calls a thread found deep walks its stack for, before capturing a backtrace again. */
    static final int WALKS_WHEN_DEEP = 255;
    /** Per thread: calls left to walk instead of capturing (the same hashes either way). */
    private static final ThreadLocal<int[]> WALKS = ThreadLocal.withInitial(() -> new int[1]);

    CallSites(int max, int depth, List<String> libraries, CodeSource agentSource, Clock clock) {
        this(max, depth, libraries, agentSource, clock, CallSiteIdentity.detect());
    }

    CallSites(int max, int depth, List<String> libraries, CodeSource agentSource, Clock clock,
            CallSiteIdentity identity) {
        this.kinds = new FrameKind.Classifier(libraries, agentSource);
        this.depth = depth;
        this.clock = clock;
        this.table = new Table(max);
        this.other = new CallSite(0, OTHER_KEY, OTHER_KEY, "", false, clock);
        if (identity == CallSiteIdentity.BACKTRACE && CallSiteIdentity.detect() != CallSiteIdentity.BACKTRACE
                && !CallSiteIdentity.backtraceWorks()) {
            throw new IllegalStateException("the backtrace cannot be read in this JVM");
        }
        this.identity = identity;
        this.nextChunk = CallSiteIdentity.next;
    }

    CallSiteIdentity identity() {
        return identity;
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
        if (identity == CallSiteIdentity.BACKTRACE) {
            int[] walks = WALKS.get();
            if (walks[0] <= 0) {
                return viaBacktrace(port, walks);
            }
            walks[0]--;
        }
        // the walk from here, not from a method of its own: one frame more can cost a batch more
        CallSite site = port == 0 ? WALKER.walk(finder) : WALKER.walk(frames -> find(frames, port));
        if (site != null) {
            return site;
        }
        if (table.full()) {
            return other;
        }
        return createFromWalk(port);
    }

    /**
     * The call site from the VM's backtrace of the current thread. A stack deeper than
     * {@link #DEEP_CHUNKS} chunks costs more to capture whole than to walk as far as needed: the
     * thread's next {@link #WALKS_WHEN_DEEP} calls walk instead.
     */
    CallSite viaBacktrace(int port, int[] walks) {
        Throwable capture = new CallSiteIdentity.Capture();
        Walk w = new Walk(false);
        if (backtrace(capture, w, null) > DEEP_CHUNKS) {
            walks[0] = WALKS_WHEN_DEEP;
        }
        CallSite site = lookup(w, port);
        if (site != null) {
            return site;
        }
        return table.full() ? other : createFromBacktrace(capture, port);
    }

    /** {@link #viaBacktrace(int, int[])} whatever the depth: for the tests. */
    CallSite viaBacktrace(int port) {
        return viaBacktrace(port, new int[1]);
    }

    /** The call site from a {@link StackWalker} walk of the current thread, as far as needed: for the tests. */
    CallSite viaWalk(int port) {
        CallSite site = WALKER.walk(frames -> find(frames, port));
        if (site != null) {
            return site;
        }
        return table.full() ? other : createFromWalk(port);
    }

    private CallSite find(Stream<StackFrame> frames, int port) {
        Walk w = new Walk(false);
        frames.limit(MAX_WALK).anyMatch(w); // anyMatch stops the walk at the first true
        return lookup(w, port);
    }

    private CallSite lookup(Walk w, int port) {
        long hash = salted(w.result(), port);
        return table.find(fold(hash), null, hash);
    }

    /**
     * Feeds the frames of {@code capture}'s backtrace to {@code w}, as a {@link StackWalker} would
     * show them (reflection's frames left out), until it has its identity. With {@code at} it
     * also notes, per frame fed, its index in the backtrace. Returns the backtrace's chunks
     * (32 frames each), all counted.
     */
    private int backtrace(Throwable capture, Walk w, List<Integer> at) {
        Object[] chunk = (Object[]) io.ephemera.hook.Backtraces.of(capture);
        int raw = 0;
        int fed = 0;
        int chunks = 0;
        boolean done = false;
        while (chunk != null) {
            chunks++;
            if (!done) {
                int[] bcis = (int[]) chunk[CallSiteIdentity.BCIS];
                Object[] mirrors = (Object[]) chunk[CallSiteIdentity.MIRRORS];
                for (int i = 0; i < mirrors.length; i++, raw++) {
                    Class<?> c = (Class<?>) mirrors[i];
                    if (c == null) {
                        return chunks;
                    }
                    FrameKind k = kinds.get(c);
                    if (k == FrameKind.JDK && CallSiteIdentity.SKIPPED.get(c)) {
                        continue;
                    }
                    if (at != null) {
                        at.add(raw);
                    }
                    // the bytecode index, not the constant pool version (low 16 bits), which a
                    // retransformation of the class changes: the same hash as the walk's
                    long fh = System.identityHashCode(c) * 65_599L + (bcis[i] >>> 16);
                    if (w.step(k, fh) || ++fed >= MAX_WALK) {
                        done = true;
                        break;
                    }
                }
            }
            chunk = (Object[]) chunk[nextChunk];
        }
        return chunks;
    }

    List<CallSite> all() {
        List<CallSite> all = table.entries();
        Stats s = other.stats();
        if (s.connects() + s.accepts() + s.failures() > 0) {
            all.add(other);
        }
        return all;
    }

    private synchronized CallSite createFromWalk(int port) {
        List<StackFrame> walked = new ArrayList<>();
        Walk w = new Walk(true);
        WALKER.walk(s -> s.limit(MAX_WALK).anyMatch(f -> {
            walked.add(f);
            return w.test(f);
        }));
        return create(w, port, new Frames() {
            @Override
            public Class<?> type(int i) {
                return walked.get(i).getDeclaringClass();
            }

            @Override
            public String className(int i) {
                return walked.get(i).getClassName();
            }

            @Override
            public String text(int i) {
                return format(walked.get(i));
            }
        });
    }

    private synchronized CallSite createFromBacktrace(Throwable capture, int port) {
        List<Integer> at = new ArrayList<>();
        Walk w = new Walk(true);
        backtrace(capture, w, at);
        StackTraceElement[] elements = capture.getStackTrace();
        List<Class<?>> types = new ArrayList<>();
        Object[] chunk = (Object[]) io.ephemera.hook.Backtraces.of(capture);
        while (chunk != null) {
            for (Object m : (Object[]) chunk[CallSiteIdentity.MIRRORS]) {
                if (m != null) {
                    types.add((Class<?>) m);
                }
            }
            chunk = (Object[]) chunk[nextChunk];
        }
        return create(w, port, new Frames() {
            @Override
            public Class<?> type(int i) {
                return types.get(at.get(i));
            }

            @Override
            public String className(int i) {
                return elements[at.get(i)].getClassName();
            }

            @Override
            public String text(int i) {
                StackTraceElement e = elements[at.get(i)];
                return format(e.getClassName(), e.getMethodName(), e.getFileName(), e.getLineNumber(),
                        e.isNativeMethod());
            }
        });
    }

    /** The frames a walk was fed, by their order in it. */
    private interface Frames {
        Class<?> type(int i);

        String className(int i);

        String text(int i);
    }

    // guarded by this
    private CallSite create(Walk w, int port, Frames walked) {
        long hash = salted(w.result(), port);
        int h = fold(hash);
        CallSite site = table.find(h, null, hash);
        if (site != null) {
            return site;
        }
        List<Integer> frames = w.chosenFrames();
        boolean application = false;
        for (int f : frames) {
            application |= kinds.get(walked.type(f)) == FrameKind.APPLICATION;
        }
        String label = port == 0 ? label(frames, walked) : label(frames, walked) + " on :" + port;
        StringBuilder stack = new StringBuilder();
        for (int f : w.displayFrames()) {
            stack.append(walked.text(f)).append('\n');
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

    private String label(List<Integer> frames, Frames walked) {
        int library = -1;
        int jdk = -1;
        for (int f : frames) {
            FrameKind k = kinds.get(walked.type(f));
            if (k == FrameKind.APPLICATION) {
                return walked.text(f);
            }
            if (k == FrameKind.LIBRARY && library < 0) {
                library = f;
            }
            if (k == FrameKind.JDK && jdk < 0 && !FrameKind.isPlumbing(walked.className(f))) {
                jdk = f;
            }
        }
        int best = library >= 0 ? library : jdk >= 0 ? jdk : frames.isEmpty() ? -1 : frames.get(0);
        return best < 0 ? "(unknown)" : walked.text(best);
    }

    /** {@code com.acme.Billing.charge(Billing.java:42)}: a stack trace element without the loader prefix. */
    static String format(StackFrame f) {
        return format(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber(), f.isNativeMethod());
    }

    private static String format(String className, String method, String file, int line, boolean nativeMethod) {
        String where;
        if (nativeMethod) {
            where = "Native Method";
        } else if (file == null) {
            where = "Unknown Source";
        } else if (line >= 0) {
            where = file + ":" + line;
        } else {
            where = file;
        }
        return className + "." + method + "(" + where + ")";
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
     * the JDK. With {@code collect} it also keeps the positions (in the order fed) of the frames
     * of the chosen identity.
     */
    private final class Walk implements Predicate<StackFrame> {
        final boolean collect;
        final List<Integer> frames;
        final List<Integer> jdkFrames;
        long all = 0x9E3779B97F4A7C15L;
        long app = 0x9E3779B97F4A7C15L;
        int nAll;
        int nApp;
        int position;
        boolean outsideJdk;
        boolean labelled;
        /** Frames walked before the first one outside the JDK: the socket plumbing the call went through. */
        int leading;

        Walk(boolean collect) {
            this.collect = collect;
            this.frames = collect ? new ArrayList<>() : null;
            this.jdkFrames = collect ? new ArrayList<>() : null;
        }

        /** Takes one frame of a {@link StackWalker} walk; true when the identity is complete. */
        @Override
        public boolean test(StackFrame f) {
            return step(kinds.get(f.getDeclaringClass()), frameHash(f));
        }

        /** Takes the next frame, of kind {@code k} and hash {@code fh}; true when the identity is complete. */
        boolean step(FrameKind k, long fh) {
            int at = position++;
            if (k == FrameKind.AGENT && nAll == 0) {
                return false;
            }
            if (nAll < depth) {
                all = mix(all, fh);
                nAll++;
                if (collect) {
                    jdkFrames.add(at);
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
                    frames.add(at);
                }
            }
            if (k == FrameKind.APPLICATION) {
                labelled = true;
            }
            return labelled && nApp >= depth;
        }

        List<Integer> chosenFrames() {
            return outsideJdk ? frames : jdkFrames;
        }

        /**
         * What the stack item shows: the JDK frames the call went through (which tell the client
         * library, e.g. HttpURLConnection) followed by the identifying frames.
         */
        List<Integer> displayFrames() {
            if (!outsideJdk) {
                return jdkFrames;
            }
            List<Integer> all = new ArrayList<>(jdkFrames.subList(0, Math.min(leading, jdkFrames.size())));
            all.addAll(frames);
            return all;
        }

        long result() {
            return outsideJdk ? app : all;
        }
    }

    /**
     * A frame's identity without resolving its method name (which costs more than the walk itself
     * on JDK 17): the class and the bytecode index, from a walk or a backtrace alike (a thread may
     * use both). Two methods of one class calling at the same index in every frame of a stack
     * share a site; the backtrace has the method's number, but the walk does not.
     */
    private static long frameHash(StackFrame f) {
        long h = System.identityHashCode(f.getDeclaringClass());
        return h * 65_599 + CallSiteIdentity.bci(f); // a native frame as in the backtrace
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
