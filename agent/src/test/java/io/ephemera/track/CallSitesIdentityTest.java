package io.ephemera.track;

import io.ephemera.track.lib.FakeClient;
import org.junit.jupiter.api.Test;

import java.lang.StackWalker.StackFrame;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two ways of telling call sites apart ({@link CallSiteIdentity}) against each other. The
 * unit tests run with {@code java.lang} open (surefire's argLine), as the agent opens it to its
 * hook classes, so the backtrace is readable here on HotSpot.
 */
class CallSitesIdentityTest {

    private static final StackWalker WALKER =
            StackWalker.getInstance(EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE));

    private static CallSites sites(int depth, CallSiteIdentity identity) {
        return new CallSites(100, depth, List.of("io.ephemera.track.lib."),
                CallSites.class.getProtectionDomain().getCodeSource(), Clock.SYSTEM, identity);
    }

    @Test
    void theBacktraceIsUsedWhereItCanBeRead() {
        assertTrue(CallSiteIdentity.backtraceWorks(), "HotSpot's backtrace as expected");
        assertEquals(CallSiteIdentity.BACKTRACE, CallSiteIdentity.detect());
        assertEquals(CallSiteIdentity.BACKTRACE, sites(16, CallSiteIdentity.detect()).identity());
    }

    @Test
    void theStackWalkerIsUsedWhenAskedFor() {
        assertEquals(CallSiteIdentity.STACKWALKER, CallSiteIdentity.choose(false));
        assertEquals(CallSiteIdentity.BACKTRACE, CallSiteIdentity.choose(true));
        java.util.Properties none = new java.util.Properties();
        java.security.CodeSource cs = CallSites.class.getProtectionDomain().getCodeSource();
        assertEquals("stackwalker", new Tracker(io.ephemera.config.Config.parse("callsites.backtrace=false", none), cs)
                .callSiteIdentity());
        assertEquals("backtrace", new Tracker(io.ephemera.config.Config.parse("", none), cs).callSiteIdentity());
    }

    /** The decoded backtrace has the frames a StackWalker shows: same classes, same bytecode indexes. */
    @Test
    void theBacktraceDecodesToTheStackWalkersFrames() {
        for (int depth : new int[] {1, 10, 40, 120}) {
            Object[] both = deep(depth, () -> new Object[] {new CallSiteIdentity.Capture(),
                WALKER.walk(s -> s.collect(Collectors.toList()))});
            List<Class<?>> classes = new ArrayList<>();
            List<Integer> bcis = new ArrayList<>();
            assertTrue(CallSiteIdentity.decode((Throwable) both[0], classes, bcis, new ArrayList<>()) > 0);
            @SuppressWarnings("unchecked")
            List<StackFrame> walked = (List<StackFrame>) both[1];
            assertEquals(walked.size(), classes.size(), "depth " + depth);
            assertTrue(walked.size() > depth, "depth " + depth);
            for (int i = 1; i < walked.size(); i++) { // frame 0: the lambda above, captured at two places
                assertSame(walked.get(i).getDeclaringClass(), classes.get(i), "depth " + depth + " frame " + i);
                assertEquals(CallSiteIdentity.bci(walked.get(i)), (int) bcis.get(i), "depth " + depth + " frame " + i);
            }
        }
    }

    private static <T> T deep(int n, java.util.function.Supplier<T> top) {
        return n <= 1 ? top.get() : deep(n - 1, top);
    }

    @Test
    void twoCallersAreTwoSitesAndOneCallerOneOnBothPaths() {
        for (CallSiteIdentity identity : CallSiteIdentity.values()) {
            for (int depth : new int[] {1, 16}) {
                CallSites sites = sites(depth, identity);
                CallSite a = null;
                CallSite b = null;
                for (int i = 0; i < 3; i++) {
                    CallSite a2 = CallSitesTest.callerA(sites);
                    CallSite b2 = CallSitesTest.callerB(sites);
                    if (a != null) {
                        assertSame(a, a2, identity + " " + depth);
                        assertSame(b, b2, identity + " " + depth);
                    }
                    a = a2;
                    b = b2;
                }
                if (depth == 16) {
                    assertNotSame(a, b, identity + ": two application callers of one client are two sites");
                } else {
                    assertSame(a, b, identity + ": depth 1 stops at the first application frame");
                }
                assertEquals(depth == 16 ? 2 : 1, sites.all().size(), identity + " " + depth);
            }
        }
    }

    /** Label, key and stack text are the same whichever way the site was told apart, through reflection and lambdas too. */
    @Test
    void bothPathsNameAndShowASiteAlike() throws Exception {
        CallSites backtrace = sites(16, CallSiteIdentity.BACKTRACE);
        CallSites walker = sites(16, CallSiteIdentity.STACKWALKER);
        List<CallSite> seen = new ArrayList<>();
        java.lang.reflect.Method m = CallSitesIdentityTest.class.getDeclaredMethod("both", CallSites[].class, List.class);
        Function<CallSites[], Object> viaLambda = s -> {
            try {
                return m.invoke(null, s, seen);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        };
        for (int i = 0; i < 2; i++) {
            viaLambda.apply(new CallSites[] {backtrace, walker});
        }
        assertEquals(4, seen.size());
        for (int i = 0; i < 4; i += 2) {
            CallSite b = seen.get(i);
            CallSite w = seen.get(i + 1);
            assertEquals(w.label(), b.label());
            assertEquals(w.key(), b.key());
            assertEquals(w.stack(), b.stack());
            assertTrue(b.label().startsWith("io.ephemera.track.CallSitesIdentityTest.both(CallSitesIdentityTest.java:"), b.label());
            assertTrue(b.stack().contains("FakeClient.inner("), b.stack());
            assertTrue(b.stack().contains("CallSitesIdentityTest.lambda$"), b.stack());
            assertTrue(!b.stack().contains("java.lang.reflect.Method.invoke"), b.stack());
        }
        assertSame(seen.get(0), seen.get(2));
        assertSame(seen.get(1), seen.get(3));
    }

    static void both(CallSites[] sites, List<CallSite> seen) {
        for (CallSites s : sites) {
            seen.add(FakeClient.call(s::current));
        }
    }

    /**
     * A thread's call may be told apart from a backtrace or, on a deep stack, a walk: both give one
     * and the same site, whichever found it first, shallow or deep.
     */
    @Test
    void theBacktraceAndTheWalkFindTheSameSite() {
        for (int depth : new int[] {1, 30, 200}) {
            CallSites sites = sites(16, CallSiteIdentity.BACKTRACE);
            CallSite[] found = new CallSite[4];
            for (int i = 0; i < 4; i++) {
                boolean walk = i % 2 == (depth == 30 ? 0 : 1); // either first
                java.util.function.IntFunction<CallSite> how = walk ? sites::viaWalk : sites::viaBacktrace;
                found[i] = deep(depth, () -> FakeClient.call(() -> how.apply(0))); // one call instruction
            }
            for (CallSite f : found) {
                assertSame(found[0], f, "depth " + depth);
            }
            assertEquals(1, sites.all().size());
        }
    }

    /** A deep stack: the thread walks for a while, then captures again, the counts in one site. */
    @Test
    void aDeepThreadSwitchesToWalksAndBack() {
        CallSites sites = sites(16, CallSiteIdentity.BACKTRACE);
        List<CallSite> found = new ArrayList<>();
        deep(200, () -> {
            for (int i = 0; i < CallSites.WALKS_WHEN_DEEP * 2 + 10; i++) {
                found.add(FakeClient.call(sites::current));
            }
            return null;
        });
        assertTrue(found.stream().allMatch(f -> f == found.get(0)));
        assertEquals(1, sites.all().size());
        assertTrue(found.get(0).label().startsWith("io.ephemera.track.CallSitesIdentityTest.lambda$"), found.get(0).label());
    }

    /**
     * Two methods of one class asking at the same bytecode index, below them the same frames: one
     * site, either way (the hash has no method, so a walk and a backtrace agree).
     */
    @Test
    void twoMethodsAtTheSameIndexAreOneSiteEitherWay() {
        for (CallSiteIdentity identity : CallSiteIdentity.values()) {
            CallSites sites = sites(16, identity);
            List<Function<CallSites, CallSite>> methods = List.of(SameIndex::first, SameIndex::second);
            CallSite[] found = new CallSite[2];
            for (int i = 0; i < 2; i++) {
                found[i] = methods.get(i).apply(sites); // one call instruction for both
            }
            assertSame(found[0], found[1], identity + ": the known limit");
        }
    }
}

final class SameIndex {
    private SameIndex() {
    }

    static CallSite first(CallSites sites) {
        return sites.current();
    }

    static CallSite second(CallSites sites) {
        return sites.current();
    }
}
