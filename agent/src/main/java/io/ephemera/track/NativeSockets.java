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

    private static final ClassValue<MethodHandle> LOCAL_ADDRESS = getter("localAddress");
    private static final ClassValue<MethodHandle> REMOTE_ADDRESS = getter("remoteAddress");

    private static ClassValue<MethodHandle> getter(String name) {
        return new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                Method m = type.getMethod(name);
                if (!InetSocketAddress.class.isAssignableFrom(m.getReturnType())) {
                    return NONE;
                }
                return MethodHandles.publicLookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return NONE; // not the socket class we know: the address stays unknown
            }
        }
        };
    }

    private NativeSockets() {
    }

    /** The socket's local address ({@code getsockname}), or null when it cannot be read. */
    static InetSocketAddress localAddress(Object socket) {
        return read(LOCAL_ADDRESS, socket);
    }

    /** The socket's peer address ({@code getpeername}), or null when it cannot be read. */
    static InetSocketAddress remoteAddress(Object socket) {
        return read(REMOTE_ADDRESS, socket);
    }

    private static InetSocketAddress read(ClassValue<MethodHandle> getter, Object socket) {
        try {
            Object a = getter.get(socket.getClass()).invokeExact(socket);
            return a instanceof InetSocketAddress ? (InetSocketAddress) a : null;
        } catch (Throwable t) {
            return null; // closed under us
        }
    }
}
