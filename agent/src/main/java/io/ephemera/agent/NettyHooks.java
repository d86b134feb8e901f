package io.ephemera.agent;

import io.ephemera.hook.Hook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.net.SocketAddress;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Netty's hooks and their advice. Advice inlined into a library's classes sees the library's
 * types only as {@code Object}: a shaded copy names them otherwise. Only bootstrap types appear.
 */
final class NettyHooks {

    private NettyHooks() {
    }

    /**
     * Netty's native transports: epoll (4.1 and 4.2) and io_uring (4.2): their Java classes wrap
     * the system calls or the ring's completions. The connection's owner is the channel's
     * {@code io.netty.channel.unix.Socket}.
     *
     * <p>And every transport's handoff: the channel {@code Bootstrap.connect} creates, or that
     * {@code Channel.connect} is called on, remembers the application's call site on the thread
     * that asked; the event loop's connect is attributed to it.
     */
    static List<HookPoint> points() {
        String unix = "io.netty.channel.unix.";
        String epoll = "io.netty.channel.epoll.";
        String uring = "io.netty.channel.uring.";
        String bootstrap = "io.netty.bootstrap.";
        return List.of(
                netty(bootstrap + "AbstractBootstrap", "initAndRegister()",
                        named("initAndRegister").and(takesArguments(0)),
                        Registered.class, "the call sites that asked Bootstrap.connect for a connection"),
                netty("io.netty.channel.DefaultChannelPipeline", "connect",
                        named("connect").and(takesArgument(0, named("java.net.SocketAddress"))),
                        ChannelConnect.class, "the call sites that asked Channel.connect for a connection"),
                netty("io.netty.channel.socket.nio.NioSocketChannel", "doConnect",
                        named("doConnect").and(takesArguments(2)).and(returns(boolean.class)),
                        NioConnect.class, "Netty NIO connects attributed to the call site that asked"),
                netty(epoll + "AbstractEpollChannel", "doConnect",
                        named("doConnect").and(takesArguments(2)).and(returns(boolean.class)),
                        NativeConnect.class, "Netty epoll connects"),
                netty(unix + "Socket", "finishConnect",
                        named("finishConnect").and(takesArguments(0)).and(returns(boolean.class)),
                        NativeFinishConnect.class, "Netty epoll connects completing"),
                netty(epoll + "EpollSocketChannel", "<init>(Channel, LinuxSocket, InetSocketAddress)",
                        isConstructor().and(takesArguments(3))
                                .and(takesArgument(1, nameEndsWith(".channel.epoll.LinuxSocket"))),
                        NativeAccept.class, "Netty epoll accepts"),
                netty(unix + "FileDescriptor", "markClosed",
                        named("markClosed").and(takesArguments(0)).and(returns(boolean.class)),
                        NativeClose.class, "Netty epoll and io_uring closes"),
                netty(unix + "Socket", "recv",
                        named("recv").and(takesArguments(3)).and(returns(int.class)),
                        NativeRead.class, "how peers end Netty epoll connections"),
                netty(unix + "Socket", "recvAddress",
                        named("recvAddress").and(takesArguments(3)).and(returns(int.class)),
                        NativeRead.class, "how peers end Netty epoll connections read into direct buffers"),
                netty(uring + "AbstractIoUringChannel", "submitConnect(InetSocketAddress)",
                        named("submitConnect").and(takesArguments(1))
                                .and(takesArgument(0, named("java.net.InetSocketAddress"))),
                        UringConnect.class, "Netty io_uring connects"),
                netty(uring + "AbstractIoUringChannel$AbstractUringUnsafe", "connectComplete",
                        named("connectComplete").and(takesArguments(4)),
                        UringConnectComplete.class, "Netty io_uring connects completing"),
                netty(uring + "IoUringSocketChannel", "<init>(Channel, LinuxSocket, SocketAddress)",
                        isConstructor().and(takesArguments(3))
                                .and(takesArgument(1, nameEndsWith(".channel.uring.LinuxSocket"))),
                        NativeAccept.class, "Netty io_uring accepts"),
                netty(uring + "IoUringSocketChannel", "<init>(Channel, LinuxSocket)",
                        isConstructor().and(takesArguments(2))
                                .and(takesArgument(1, nameEndsWith(".channel.uring.LinuxSocket"))),
                        NativeAcceptUnknownPeer.class, "Netty io_uring accepts whose peer address came later"),
                netty(uring + "AbstractIoUringStreamChannel$IoUringStreamUnsafe", "readComplete0",
                        named("readComplete0").and(takesArguments(5)),
                        UringRead.class, "how peers end Netty io_uring connections"));
    }

    private static HookPoint netty(String className, String method, ElementMatcher<? super MethodDescription> matcher,
                                   Class<?> advice, String covers) {
        return HookPoint.library("Netty", "io.netty", className, method, matcher, advice, covers);
    }

    /**
     * {@code AbstractBootstrap.initAndRegister()}: the channel {@code Bootstrap.connect} made,
     * before any connect is asked of its event loop ({@code ServerBootstrap.bind}'s server channel
     * is left alone).
     */
    static final class Registered {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return Object future) {
            Hook.intentForChannelOf(future);
        }
    }

    /**
     * {@code DefaultChannelPipeline.connect(SocketAddress, ...)}, where every {@code Channel.connect}
     * goes: on the application's thread for a channel it connects itself; on the event loop for
     * Bootstrap's, which remembers already.
     */
    static final class ChannelConnect {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("channel") Object channel) {
            Hook.intent(channel);
        }
    }

    /** {@code NioSocketChannel.doConnect(remote, local)}: the JDK connect inside is the channel's. */
    static final class NioConnect {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object channel) {
            return Hook.onBehalfBegin(channel);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Hook.onBehalfEnd(token);
        }
    }


    /**
     * {@code AbstractEpollChannel.doConnect(SocketAddress remote, SocketAddress local)}: every epoll
     * connect, with or without a local address; the hook keeps only the stream channels' (TCP).
     */
    static final class NativeConnect {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.Argument(1) SocketAddress local, @Advice.FieldValue("local") Object bound) {
            return local != null || bound != null;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.FieldValue("socket") Object socket,
                         @Advice.Argument(0) SocketAddress remote, @Advice.Return boolean connected,
                         @Advice.Thrown Throwable thrown, @Advice.Enter boolean boundFirst) {
            Hook.nativeConnect(self, socket, remote, connected, thrown, boundFirst);
        }
    }

    /** {@code io.netty.channel.unix.Socket.finishConnect()}: true once a pending connect completed. */
    static final class NativeFinishConnect {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Return boolean connected,
                         @Advice.Thrown Throwable thrown) {
            Hook.channelFinishConnect(self, connected, thrown);
        }
    }

    /**
     * {@code EpollSocketChannel(Channel parent, LinuxSocket fd, InetSocketAddress remote)}: the child
     * channel of every epoll accept. A constructor's exit advice cannot catch what it throws.
     */
    static final class NativeAccept {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(1) Object socket, @Advice.Argument(2) SocketAddress remote) {
            Hook.nativeAccepted(socket, remote);
        }
    }

    /**
     * {@code io.netty.channel.unix.FileDescriptor.markClosed()}: true once per descriptor, just
     * before epoll's {@code close(2)} or io_uring's close submitted to the ring.
     */
    static final class NativeClose {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Return boolean closing) {
            if (closing) {
                Hook.nativeClosed(self);
            }
        }
    }

    /** {@code io.netty.channel.unix.Socket.recv(ByteBuffer, int, int)} and {@code recvAddress(long, int, int)}: -1 is end of stream. */
    static final class NativeRead {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Return int n, @Advice.Thrown Throwable thrown) {
            if (n < 0 || thrown != null) {
                Hook.nativeReadEnded(self, thrown);
            }
        }
    }

    /** {@code EpollSocketChannel}'s and io_uring's child channel built without the peer's address: read from the socket. */
    static final class NativeAcceptUnknownPeer {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(1) Object socket) {
            Hook.nativeAccepted(socket, null);
        }
    }

    /**
     * {@code AbstractIoUringChannel.submitConnect(InetSocketAddress)}: an IP connect submitted to
     * the ring (pending until its completion); a local address is bound before, where asked.
     */
    static final class UringConnect {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.FieldValue("socket") Object socket,
                          @Advice.Argument(0) SocketAddress remote, @Advice.FieldValue("local") Object bound) {
            Hook.nativeConnect(self, socket, remote, false, null, bound != null);
        }
    }

    /** {@code AbstractUringUnsafe.connectComplete(op, res, flags, data)}: 0 connected, or -errno. */
    static final class UringConnectComplete {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("this$0") Object channel, @Advice.Argument(1) int res) {
            Hook.uringConnectComplete(channel, res);
        }
    }

    /** {@code IoUringStreamUnsafe.readComplete0(op, res, flags, data, outstanding)}: 0 is end of stream. */
    static final class UringRead {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("this$0") Object channel, @Advice.Argument(1) int res) {
            if (res <= 0) {
                Hook.uringReadComplete(channel, res);
            }
        }
    }
}
