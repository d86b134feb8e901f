package io.ephemera.hook;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * Netty's objects as advice inlined into them cannot name them (a shaded copy has other names):
 * a native transport's channel to its socket, {@code UnixChannel.fd()} (advice inlined into a
 * channel's inner classes reaches the channel, not its socket), and a future to its channel,
 * {@code ChannelFuture.channel()}. Each method is found once per class.
 */
final class NativeChannels {

    private static final MethodHandle NONE =
            MethodHandles.dropArguments(MethodHandles.constant(Object.class, null), 0, Object.class);

    private static final ClassValue<MethodHandle> FD = accessor("fd");
    private static final ClassValue<MethodHandle> CHANNEL = accessor("channel");

    private static ClassValue<MethodHandle> accessor(String name) {
        return new ClassValue<>() {
            @Override
            protected MethodHandle computeValue(Class<?> type) {
                try {
                    Method m = type.getMethod(name);
                    m.setAccessible(true); // declared by a package-private class of the library
                    return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return NONE;
                }
            }
        };
    }

    /** Channels that listen (Netty's {@code ServerChannel}, in any package): they never connect. */
    private static final ClassValue<Boolean> SERVER = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Class<?> i : c.getInterfaces()) {
                    if (i.getName().endsWith(".channel.ServerChannel") || computeValue(i)) {
                        return Boolean.TRUE;
                    }
                }
            }
            return Boolean.FALSE;
        }
    };

    private NativeChannels() {
    }

    static boolean isServer(Object channel) {
        return SERVER.get(channel.getClass());
    }

    /** The future's channel, or null. */
    static Object channelOf(Object future) throws Throwable {
        return CHANNEL.get(future.getClass()).invokeExact(future);
    }

    /** The channel's socket, or null. */
    static Object socketOf(Object channel) throws Throwable {
        return channel == null ? null : FD.get(channel.getClass()).invokeExact(channel);
    }
}
