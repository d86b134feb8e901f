package io.ephemera.agent;

import io.ephemera.agent.Weaver.Inline;
import io.ephemera.hook.Woven;
import net.bytebuddy.jar.asm.Type;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static io.ephemera.agent.HookPoint.constructor;
import static io.ephemera.agent.HookPoint.named;
import static io.ephemera.agent.Weaver.O;
import static io.ephemera.agent.Weaver.T;
import static io.ephemera.agent.Weaver.Value.ENTERED;
import static io.ephemera.agent.Weaver.Value.RETURNED;
import static io.ephemera.agent.Weaver.Value.SELF;
import static io.ephemera.agent.Weaver.Value.THROWN;
import static io.ephemera.agent.Weaver.Value.arg;
import static io.ephemera.agent.Weaver.Value.field;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeaverTest {

    private static final String TARGET = "io.ephemera.agent.WeaverTarget";
    private static final String CALLS = "io/ephemera/agent/WeaverCalls";

    private static HookPoint hook(String method, HookPoint.Match match, Inline inline) {
        return HookPoint.library("Test", "io.ephemera", TARGET, method, match, inline, "tests");
    }

    private static List<HookPoint> hooks() {
        return List.of(
                hook("mixed", named("mixed").takes(3),
                        Inline.enter("mixedEnter", "(" + O + "I" + O + ")Z", SELF, arg(0), field("name"))
                                .andExitOrThrow("mixedExit", "(" + O + "DI" + T + "Z)V",
                                        SELF, arg(2), RETURNED, THROWN, ENTERED)),
                hook("twice", named("twice"),
                        Inline.enter("twiceEnter", "(J)" + O, arg(0))
                                .andExitOrThrow("twiceExit", "(JJ" + T + O + ")V", arg(0), RETURNED, THROWN, ENTERED)),
                hook("act", named("act"), Inline.exitOrThrow("actExit", "(" + O + "J" + T + ")V",
                        SELF, field("total"), THROWN)),
                hook("object", named("object"), Inline.enter("objectEnter", "(" + O + ")V", arg(0))),
                hook("<init>", constructor().takes(2), Inline.exit("built", "(" + O + O + "J)V",
                        SELF, field("name"), field("total"))));
    }

    private static byte[] original() throws IOException {
        try (InputStream in = WeaverTest.class.getResourceAsStream("WeaverTarget.class")) {
            return in.readAllBytes();
        }
    }

    /** The woven class, defined (and so verified) in a loader of its own. */
    private static Class<?> woven(int[] counts) throws Exception {
        byte[] bytes = Weaver.weave(original(), WeaverTest.class.getClassLoader(), null, hooks(), counts, CALLS);
        assertNotNull(bytes);
        ClassLoader loader = new ClassLoader(WeaverTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.equals(TARGET)) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : defineClass(name, bytes, 0, bytes.length);
                }
            }
        };
        Class<?> type = Class.forName(TARGET, true, loader);
        assertEquals(loader, type.getClassLoader());
        for (Method m : type.getDeclaredMethods()) {
            m.setAccessible(true); // links every method: the verifier checks them all
        }
        return type;
    }

    private static Object call(Object self, Method m, Object... args) throws Throwable {
        try {
            return m.invoke(self, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @BeforeEach
    void clear() {
        WeaverCalls.CALLS.clear();
    }

    @Test
    void eachHookMatchesItsMethodsAndTheClassVerifies() throws Exception {
        int[] counts = new int[5];
        woven(counts);
        assertArrayEquals(new int[] {1, 1, 1, 1, 1}, counts);
    }

    @Test
    void entryAndExitSeeArgumentsFieldsResultsAndThrowables() throws Throwable {
        Class<?> type = woven(new int[5]);
        Constructor<?> ctor = type.getConstructor(String.class);
        Object self = ctor.newInstance("ab");
        // the one-argument constructor delegates to the hooked one, which reports on return only
        assertEquals(List.of("built ab ab 2"), WeaverCalls.CALLS);
        assertThrows(InvocationTargetException.class, () -> ctor.newInstance((String) null));
        assertEquals(1, WeaverCalls.CALLS.size(), "a constructor that throws reports nothing");
        WeaverCalls.CALLS.clear();

        Method mixed = type.getMethod("mixed", int.class, long.class, double.class);
        assertEquals(5, call(self, mixed, 2, 3L, 0.5)); // 0*3 + 1*3 + (long) 2.0
        assertEquals(-1, call(self, mixed, 100, 100L, 1.0)); // the return inside the loop
        assertEquals(7, call(self, mixed, 3, 1L, 1.0)); // through the method's own handler
        assertEquals(55, call(self, mixed, 5, 1L, 1.0)); // an exit call that throws changes nothing
        IOException e = assertThrows(IOException.class, () -> call(self, mixed, -3, 1L, 1.0));
        assertEquals("negative -3", e.getMessage());
        assertEquals(22, call(self, mixed, 4, 1L, 1.0)); // an entry call that throws: false entered
        assertEquals(List.of(
                "mixedEnter ab 2 ab", "mixedExit 0.5 5 null true",
                "mixedEnter ab 100 ab", "mixedExit 1.0 -1 null true",
                "mixedEnter ab 3 ab", "mixedExit 1.0 7 null false",
                "mixedEnter ab 5 ab", "mixedExit 1.0 55 null false",
                "mixedEnter ab -3 ab", "mixedExit 1.0 0 negative -3 false",
                "mixedEnter ab 4 ab", "mixedExit 1.0 22 null false"), WeaverCalls.CALLS);
        WeaverCalls.CALLS.clear();

        Method twice = type.getMethod("twice", long.class);
        assertEquals(8L, call(null, twice, 4L));
        assertEquals(4L, call(null, twice, 2L));
        assertThrows(IllegalStateException.class, () -> call(null, twice, 13L));
        assertEquals(List.of("twiceEnter 4", "twiceExit 4 8 null token4", "twiceEnter 2", "twiceExit 2 4 null null",
                "twiceEnter 13", "twiceExit 13 0 unlucky token13"), WeaverCalls.CALLS);
        WeaverCalls.CALLS.clear();

        Method act = type.getMethod("act", int.class);
        call(self, act, 0);
        call(self, act, 1);
        call(self, act, 9);
        assertThrows(StackOverflowError.class, () -> call(self, act, 2));
        assertEquals(List.of("actExit 3 null", "actExit 26 null", "actExit 50 null", "actExit 50 StackOverflowError"),
                WeaverCalls.CALLS);
        WeaverCalls.CALLS.clear();

        Method object = type.getMethod("object", String.class);
        assertEquals("xab", call(self, object, "x"));
        assertNull(call(self, object, ""));
        assertEquals("npe", call(self, object, (Object) null));
        assertEquals(List.of("objectEnter x", "objectEnter ", "objectEnter null"), WeaverCalls.CALLS);
    }

    @Test
    void aFieldOrArgumentThatIsNotThereOrDoesNotFitLeavesTheClassAlone() throws Exception {
        byte[] bytes = original();
        List<HookPoint> noField = List.of(hook("act", named("act"),
                Inline.exitOrThrow("actExit", "(" + O + "J" + T + ")V", SELF, field("nope"), THROWN)));
        assertThrows(IllegalStateException.class, () -> Weaver.weave(bytes, null, null, noField, new int[1], CALLS));
        List<HookPoint> wrongType = List.of(hook("act", named("act"),
                Inline.exitOrThrow("actExit", "(" + O + "J" + T + ")V", SELF, arg(0), THROWN)));
        assertThrows(IllegalStateException.class, () -> Weaver.weave(bytes, null, null, wrongType, new int[1], CALLS));
        List<HookPoint> constructorCatch = List.of(hook("<init>", constructor(),
                Inline.exitOrThrow("built", "(" + O + O + "J)V", SELF, field("name"), field("total"))));
        assertThrows(IllegalStateException.class,
                () -> Weaver.weave(bytes, null, null, constructorCatch, new int[1], CALLS));
        int[] none = new int[1];
        assertNull(Weaver.weave(bytes, null, null, List.of(hook("gone", named("gone"),
                Inline.enter("objectEnter", "(" + O + ")V", SELF))), none, CALLS), "nothing matched: unchanged");
        assertEquals(0, none[0]);
    }

    /**
     * A field a superclass declares: from the loaded class when it is retransformed, else from the
     * superclass's class file; a private one is not the subclass's to read.
     */
    @Test
    void aSuperclassFieldIsFoundLoadedOrNotAndAPrivateOneIsNot() throws Exception {
        byte[] child;
        try (InputStream in = WeaverTest.class.getResourceAsStream("WeaverTargetChild.class")) {
            child = in.readAllBytes();
        }
        String name = "io.ephemera.agent.WeaverTargetChild";
        List<HookPoint> total = List.of(HookPoint.library("Test", "io.ephemera", name, "grow", named("grow"),
                Inline.exitOrThrow("actExit", "(" + O + "J" + T + ")V", SELF, field("total"), THROWN), "tests"));
        List<HookPoint> privateName = List.of(HookPoint.library("Test", "io.ephemera", name, "grow", named("grow"),
                Inline.exit("objectEnter", "(" + O + ")V", field("name")), "tests"));
        ClassLoader loader = WeaverTest.class.getClassLoader();
        for (Class<?> redefined : new Class<?>[] {null, WeaverTargetChild.class}) {
            int[] counts = new int[1];
            assertNotNull(Weaver.weave(child, loader, redefined, total, counts, CALLS));
            assertEquals(1, counts[0]);
            assertThrows(IllegalStateException.class,
                    () -> Weaver.weave(child, loader, redefined, privateName, new int[1], CALLS));
        }
    }

    /** Every call a hook weaves names a public static method of Woven with that exact descriptor. */
    @Test
    void everyHookCallsAMethodWovenHas() {
        List<HookPoint> all = new ArrayList<>(HookPoint.all());
        all.addAll(HookPoint.libraries());
        List<String> have = new ArrayList<>();
        for (Method m : Woven.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
                have.add(m.getName() + Type.getMethodDescriptor(m));
            }
        }
        for (HookPoint h : all) {
            for (Weaver.Call c : new Weaver.Call[] {h.inline.enter, h.inline.exit}) {
                if (c != null) {
                    assertTrue(have.contains(c.name + c.desc), h.name() + ": " + c.name + c.desc);
                }
            }
        }
    }
}
