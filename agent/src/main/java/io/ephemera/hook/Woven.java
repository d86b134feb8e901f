package io.ephemera.hook;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandles;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousSocketChannel;

/**
 * What the weaver calls from the instrumented methods where a hook needs more than one call into
 * {@link Hook}: the few lines each hook's advice had, taking the instrumented classes' objects as
 * {@code Object} (a library's types have other names in a shaded copy, and the verifier then has
 * nothing to check). Every method catches every {@link Throwable}; the weaver wraps each call in a
 * second net besides, for what escapes even that (a stack overflow in the call itself).
 */
public final class Woven {

    private Woven() {
    }

    // ---- JDK ---------------------------------------------------------------------------------------

    /** Entry of {@code Socket.connect(SocketAddress, int)}: whether it was bound before. */
    public static boolean socketBound(Object socket) {
        try {
            return ((Socket) socket).isBound();
        } catch (Throwable t) {
            return false;
        }
    }

    public static void socketConnect(Object socket, Object remote, Throwable thrown, boolean boundFirst) {
        try {
            Hook.socketConnect((Socket) socket, (SocketAddress) remote, thrown, boundFirst);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void socketClosed(Object socket) {
        try {
            Hook.socketClosed((Socket) socket);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void socketAccepted(Object socket, Throwable thrown) {
        try {
            Hook.socketAccepted((Socket) socket, thrown);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    /** Entry of the channels' connects: whether a local address was bound (the field is not null). */
    public static boolean notNull(Object value) {
        return value != null;
    }

    /** Entry of Netty's epoll connect: a local address asked for, or bound before. */
    public static boolean eitherNotNull(Object first, Object second) {
        return first != null || second != null;
    }

    public static void channelConnect(Object channel, Object remote, boolean connected, Throwable thrown,
                                      boolean boundFirst) {
        try {
            Hook.channelConnect(channel, (SocketAddress) remote, connected, thrown, boundFirst);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    /** Exit of {@code SocketChannelImpl.blockingConnect}: connected unless it threw. */
    public static void channelBlockingConnect(Object channel, Object remote, Throwable thrown, boolean boundFirst) {
        try {
            Hook.channelConnect(channel, (SocketAddress) remote, thrown == null, thrown, boundFirst);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void asyncConnectBegin(Object channel, Object remote, Object local) {
        try {
            Hook.asyncConnectBegin(channel, (SocketAddress) remote, local != null);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void asyncConnectEnd(Object channel, Throwable thrown) {
        try {
            Hook.asyncConnectEnd(channel, ((AsynchronousSocketChannel) channel).isOpen(), thrown);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    /** Exit of {@code setConnected()}: only when it returned. */
    public static void asyncConnected(Object channel, Throwable thrown) {
        try {
            if (thrown == null) {
                Hook.asyncConnected(channel);
            }
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void channelAccepted(Object channel) {
        try {
            Hook.channelAccepted(channel);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void asyncAccepted(Object channel) {
        try {
            Hook.asyncAccepted(channel);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void channelClosed(Object channel, FileDescriptor fd) {
        try {
            Hook.channelClosed(channel, fd);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void asyncClosed(Object channel, FileDescriptor fd) {
        try {
            Hook.asyncClosed(channel, fd);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    /** Exit of a read: end of stream or a throw tells how the peer ended; data costs one comparison. */
    public static void readReturned(Object owner, int n, Throwable thrown) {
        try {
            if (n < 0 || thrown != null) {
                Hook.readEnded(owner, thrown);
            }
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    /** Exit of a scattering read. */
    public static void readReturned(Object owner, long n, Throwable thrown) {
        try {
            if (n < 0 || thrown != null) {
                Hook.readEnded(owner, thrown);
            }
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void netConnectFailed(FileDescriptor fd, Throwable thrown) {
        try {
            Hook.netConnectFailed(fd, thrown);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    // ---- libraries ------------------------------------------------------------------------------------

    public static void intent(Object key) {
        try {
            Hook.intent(key);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void intentFollows(Object from, Object to) {
        try {
            Hook.intentFollows(from, to);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void intentForChannelOf(Object channelFuture) {
        try {
            Hook.intentForChannelOf(channelFuture);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static Object onBehalfBegin(Object key) {
        try {
            return Hook.onBehalfBegin(key);
        } catch (Throwable t) {
            return null;
        }
    }

    public static void onBehalfEnd(Object token) {
        try {
            Hook.onBehalfEnd(token);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void channelFinishConnect(Object channel, boolean connected, Throwable thrown) {
        try {
            Hook.channelFinishConnect(channel, connected, thrown);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void nativeConnect(Object channel, Object socket, Object remote, boolean connected,
                                     Throwable thrown, boolean boundFirst) {
        try {
            Hook.nativeConnect(channel, socket, (SocketAddress) remote, connected, thrown, boundFirst);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    /** Entry of io_uring's {@code submitConnect}: pending until the ring completes it. */
    public static void uringConnect(Object channel, Object socket, Object remote, Object bound) {
        try {
            Hook.nativeConnect(channel, socket, (SocketAddress) remote, false, null, bound != null);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void nativeAccepted(Object socket, Object remote) {
        try {
            Hook.nativeAccepted(socket, (SocketAddress) remote);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void nativeAcceptedUnknownPeer(Object socket) {
        try {
            Hook.nativeAccepted(socket, null);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    /** Exit of {@code FileDescriptor.markClosed()}: true once per descriptor. */
    public static void markClosed(Object fd, boolean closing) {
        try {
            if (closing) {
                Hook.nativeClosed(fd);
            }
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void nativeReadReturned(Object socket, int n, Throwable thrown) {
        try {
            if (n < 0 || thrown != null) {
                Hook.nativeReadEnded(socket, thrown);
            }
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void uringConnectComplete(Object channel, int res) {
        try {
            Hook.uringConnectComplete(channel, res);
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    public static void uringRead(Object channel, int res) {
        try {
            if (res <= 0) {
                Hook.uringReadComplete(channel, res);
            }
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }

    /**
     * Exit of Reactor Netty's {@code TransportConnector.doInitAndRegister(config, ...)}: the promise's
     * channel remembers this thread's call site, else the client's (its configuration's
     * {@code connectionProvider} field, package-private; a server's bind is left alone). Both the
     * promise's {@code channel()} and the field are reached through {@code lookup}, the instrumented
     * class's: its package's classes are not this class's to reflect on.
     */
    public static void channelMade(Object config, Object promise, MethodHandles.Lookup lookup) {
        try {
            for (Class<?> c = config.getClass(); c != null; c = c.getSuperclass()) {
                if (c.getName().endsWith(".transport.ClientTransportConfig")) {
                    // the promise's class is the instrumented class's private one: reflection with its access
                    Object channel = lookup.unreflect(promise.getClass().getMethod("channel")).invoke(promise);
                    Hook.intent(channel);
                    // kept only when the walk found no application frame: putIfAbsent
                    Object provider = lookup.unreflectGetter(c.getDeclaredField("connectionProvider")).invoke(config);
                    Hook.intentFollows(provider, channel);
                    return;
                }
            }
        } catch (Throwable ignored) {
            // nothing reaches the application
        }
    }
}
