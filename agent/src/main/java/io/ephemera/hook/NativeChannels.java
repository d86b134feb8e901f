package io.ephemera.hook;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * A native transport's channel to its socket: Netty's {@code UnixChannel.fd()}, found once per
 * channel class (advice inlined into a channel's inner classes reaches the channel, not its socket).
 */
final class NativeChannels {

    private static final MethodHandle NONE =
            MethodHandles.dropArguments(MethodHandles.constant(Object.class, null), 0, Object.class);

    private static final ClassValue<MethodHandle> FD = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                Method m = type.getMethod("fd");
                m.setAccessible(true); // declared by a package-private class of the library
                return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return NONE;
            }
        }
    };

    private NativeChannels() {
    }

    /** The channel's socket, or null. */
    static Object socketOf(Object channel) throws Throwable {
        return channel == null ? null : FD.get(channel.getClass()).invokeExact(channel);
    }
}
