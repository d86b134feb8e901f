package io.ephemera.hook;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Reads {@code Throwable.backtrace}, the VM's compact record of a stack (class, method number and
 * bytecode index per frame), for the agent's call-site identity. Here, in the bootstrap loader's
 * unnamed module, because the agent opens {@code java.lang} to that module only, not to the
 * application's. Where {@code java.lang} is not open to this class's module when it is first
 * used, {@link #available()} is false and the agent walks the stack instead.
 */
public final class Backtraces {

    private static final VarHandle BACKTRACE = find();

    private Backtraces() {
    }

    private static VarHandle find() {
        try {
            return MethodHandles.privateLookupIn(Throwable.class, MethodHandles.lookup())
                    .findVarHandle(Throwable.class, "backtrace", Object.class);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Whether {@link #of} can be called. */
    public static boolean available() {
        return BACKTRACE != null;
    }

    /** The backtrace of {@code t}: on HotSpot the first chunk, an {@code Object[]}. */
    public static Object of(Throwable t) {
        return BACKTRACE.get(t);
    }
}
