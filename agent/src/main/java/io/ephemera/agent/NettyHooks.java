package io.ephemera.agent;

import io.ephemera.agent.Weaver.Inline;

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

/**
 * Netty's hooks and what each calls ({@code io.ephemera.hook.Woven}), which sees the library's types
 * only as {@code Object}: a shaded copy names them otherwise.
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
        Inline nativeAccept = Inline.exit("nativeAccepted", "(" + O + O + ")V", arg(1), arg(2));
        Inline nativeRead = Inline.exitOrThrow("nativeReadReturned", "(" + O + "I" + T + ")V", SELF, RETURNED, THROWN);
        return List.of(
                netty(bootstrap + "AbstractBootstrap", "initAndRegister()",
                        named("initAndRegister").takes(0),
                        // initAndRegister(): the channel Bootstrap.connect made, before any connect is asked of its
                        // event loop (ServerBootstrap.bind's server channel is left alone)
                        Inline.exit("intentForChannelOf", "(" + O + ")V", RETURNED),
                        "the call sites that asked Bootstrap.connect for a connection"),
                netty("io.netty.channel.DefaultChannelPipeline", "connect",
                        named("connect").arg(0, "java.net.SocketAddress"),
                        // where every Channel.connect goes: on the application's thread for a channel it connects
                        // itself; on the event loop for Bootstrap's, which remembers already
                        Inline.enter("intent", "(" + O + ")V", field("channel")),
                        "the call sites that asked Channel.connect for a connection"),
                netty("io.netty.channel.socket.nio.NioSocketChannel", "doConnect",
                        named("doConnect").takes(2).returns("boolean"),
                        // doConnect(remote, local): the JDK connect inside is the channel's
                        Inline.onBehalfOf(SELF),
                        "Netty NIO connects attributed to the call site that asked"),
                netty(epoll + "AbstractEpollChannel", "doConnect",
                        named("doConnect").takes(2).returns("boolean"),
                        // doConnect(SocketAddress remote, SocketAddress local): every epoll connect, with or without a
                        // local address; the hook keeps only the stream channels' (TCP)
                        Inline.enter("eitherNotNull", "(" + O + O + ")Z", arg(1), field("local"))
                                .andExitOrThrow("nativeConnect", "(" + O + O + O + "Z" + T + "Z)V",
                                        SELF, field("socket"), arg(0), RETURNED, THROWN, ENTERED),
                        "Netty epoll connects"),
                netty(unix + "Socket", "finishConnect",
                        named("finishConnect").takes(0).returns("boolean"),
                        // true once a pending connect completed
                        Inline.exitOrThrow("channelFinishConnect", "(" + O + "Z" + T + ")V", SELF, RETURNED, THROWN),
                        "Netty epoll connects completing"),
                netty(epoll + "EpollSocketChannel", "<init>(Channel, LinuxSocket, InetSocketAddress)",
                        constructor().takes(3).argEndsWith(1, ".channel.epoll.LinuxSocket"),
                        // EpollSocketChannel(Channel parent, LinuxSocket fd, InetSocketAddress remote): the child
                        // channel of every epoll accept; a constructor's exit call cannot catch what it throws
                        nativeAccept, "Netty epoll accepts"),
                netty(unix + "FileDescriptor", "markClosed",
                        named("markClosed").takes(0).returns("boolean"),
                        // true once per descriptor, just before epoll's close(2) or io_uring's close submitted
                        Inline.exitOrThrow("markClosed", "(" + O + "Z)V", SELF, RETURNED),
                        "Netty epoll and io_uring closes"),
                netty(unix + "Socket", "recv",
                        named("recv").takes(3).returns("int"),
                        nativeRead, "how peers end Netty epoll connections"), // -1 is end of stream
                netty(unix + "Socket", "recvAddress",
                        named("recvAddress").takes(3).returns("int"),
                        nativeRead, "how peers end Netty epoll connections read into direct buffers"),
                netty(uring + "AbstractIoUringChannel", "submitConnect(InetSocketAddress)",
                        named("submitConnect").takes(1).arg(0, "java.net.InetSocketAddress"),
                        // an IP connect submitted to the ring (pending until its completion); a local address is
                        // bound before, where asked
                        Inline.enter("uringConnect", "(" + O + O + O + O + ")V",
                                SELF, field("socket"), arg(0), field("local")),
                        "Netty io_uring connects"),
                netty(uring + "AbstractIoUringChannel$AbstractUringUnsafe", "connectComplete",
                        named("connectComplete").takes(4),
                        // connectComplete(op, res, flags, data): 0 connected, or -errno
                        Inline.enter("uringConnectComplete", "(" + O + "I)V", field("this$0"), arg(1)),
                        "Netty io_uring connects completing"),
                netty(uring + "IoUringSocketChannel", "<init>(Channel, LinuxSocket, SocketAddress)",
                        constructor().takes(3).argEndsWith(1, ".channel.uring.LinuxSocket"),
                        nativeAccept, "Netty io_uring accepts"),
                netty(uring + "IoUringSocketChannel", "<init>(Channel, LinuxSocket)",
                        constructor().takes(2).argEndsWith(1, ".channel.uring.LinuxSocket"),
                        // built without the peer's address: read from the socket
                        Inline.exit("nativeAcceptedUnknownPeer", "(" + O + ")V", arg(1)),
                        "Netty io_uring accepts whose peer address came later"),
                netty(uring + "AbstractIoUringStreamChannel$IoUringStreamUnsafe", "readComplete0",
                        named("readComplete0").takes(5),
                        // readComplete0(op, res, flags, data, outstanding): 0 is end of stream
                        Inline.enter("uringRead", "(" + O + "I)V", field("this$0"), arg(1)),
                        "how peers end Netty io_uring connections"));
    }

    private static HookPoint netty(String className, String method, HookPoint.Match match, Inline inline,
                                   String covers) {
        return HookPoint.library("Netty", "io.netty", className, method, match, inline, covers);
    }
}
