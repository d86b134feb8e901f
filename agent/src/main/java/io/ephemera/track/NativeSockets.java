package io.ephemera.track;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;

/**
 * The local address of a native transport's socket (Netty's {@code io.netty.channel.unix.Socket},
 * shaded or not), read through its own public {@code localAddress()}: the agent is compiled
 * against no library, so the method is found once per socket class and kept as a handle.
 */
final class NativeSockets {

    /** For a class without the method: answers null. */
    private static final MethodHandle NONE =
            MethodHandles.dropArguments(MethodHandles.constant(Object.class, null), 0, Object.class);

    private static final ClassValue<MethodHandle> LOCAL_ADDRESS = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                Method m = type.getMethod("localAddress");
                if (!InetSocketAddress.class.isAssignableFrom(m.getReturnType())) {
                    return NONE;
                }
                return MethodHandles.publicLookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return NONE; // not the socket class we know: the local end stays unknown
            }
        }
    };

    private NativeSockets() {
    }

    /** The socket's local address ({@code getsockname}), or null when it cannot be read. */
    static InetSocketAddress localAddress(Object socket) {
        try {
            Object a = LOCAL_ADDRESS.get(socket.getClass()).invokeExact(socket);
            return a instanceof InetSocketAddress ? (InetSocketAddress) a : null;
        } catch (Throwable t) {
            return null; // closed under us
        }
    }
}
