package io.ephemera.agent;

import java.util.ArrayList;
import java.util.List;

/** What {@link WeaverTest}'s woven class calls: records each call; some calls throw, as a broken hook would. */
public final class WeaverCalls {

    public static final List<String> CALLS = new ArrayList<>();

    private WeaverCalls() {
    }

    /** The woven class is another class than this loader's WeaverTarget: read by reflection. */
    private static Object name(Object self) {
        try {
            return self.getClass().getMethod("name").invoke(self);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean mixedEnter(Object self, int n, Object name) {
        CALLS.add("mixedEnter " + name(self) + " " + n + " " + name);
        if (n == 4) {
            throw new IllegalStateException("broken enter");
        }
        return n % 2 == 0;
    }

    public static void mixedExit(Object self, double ratio, int ret, Throwable thrown, boolean entered) {
        CALLS.add("mixedExit " + ratio + " " + ret + " " + (thrown == null ? null : thrown.getMessage()) + " " + entered);
        if (ret == 55) {
            throw new StackOverflowError("broken exit");
        }
    }

    public static Object twiceEnter(long v) {
        CALLS.add("twiceEnter " + v);
        return v == 2 ? null : "token" + v;
    }

    public static void twiceExit(long v, long ret, Throwable thrown, Object entered) {
        CALLS.add("twiceExit " + v + " " + ret + " " + (thrown == null ? null : thrown.getMessage()) + " " + entered);
    }

    public static void actExit(Object self, long total, Throwable thrown) {
        CALLS.add("actExit " + total + " " + (thrown == null ? null : thrown.getClass().getSimpleName()));
    }

    public static void objectEnter(Object arg) {
        CALLS.add("objectEnter " + arg);
    }

    public static void built(Object self, Object name, long total) {
        CALLS.add("built " + name(self) + " " + name + " " + total);
    }
}
