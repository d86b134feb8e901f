package io.ephemera.agent;

import io.ephemera.hook.Hook;
import net.bytebuddy.asm.Advice;

import java.io.FileDescriptor;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousSocketChannel;

/**
 * The advice inlined into the JDK's socket classes. Each body is one call into {@link Hook};
 * {@code suppress = Throwable.class} is a second net under the hook's own catch, so nothing the
 * agent does can reach the application. Only bootstrap types may appear here.
 */
final class Advices {

    private Advices() {
    }

    /** {@code java.net.Socket.connect(SocketAddress, int)}: every {@code Socket} connect, SSL included, once. */
    static final class SocketConnect {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.This Socket self) {
            return self.isBound();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Socket self, @Advice.Argument(0) SocketAddress remote,
                         @Advice.Thrown Throwable thrown, @Advice.Enter boolean boundFirst) {
            Hook.socketConnect(self, remote, thrown, boundFirst);
        }
    }

    /** {@code java.net.Socket.close()}. */
    static final class SocketClose {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Socket self) {
            Hook.socketClosed(self);
        }
    }

    /** {@code java.net.ServerSocket.implAccept(Socket)}: every {@code ServerSocket.accept}, SSL included. */
    static final class ServerSocketAccept {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Socket accepted, @Advice.Thrown Throwable thrown) {
            Hook.socketAccepted(accepted, thrown);
        }
    }

    /** {@code SocketChannelImpl.connect(SocketAddress)}: true connected, false pending. */
    static final class ChannelConnect {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.FieldValue("localAddress") Object local) {
            return local != null;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Argument(0) SocketAddress remote,
                         @Advice.Return boolean connected, @Advice.Thrown Throwable thrown,
                         @Advice.Enter boolean boundFirst) {
            Hook.channelConnect(self, remote, connected, thrown, boundFirst);
        }
    }

    /** {@code SocketChannelImpl.blockingConnect(SocketAddress, long)}: the socket adaptor's connect. */
    static final class ChannelBlockingConnect {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.FieldValue("localAddress") Object local) {
            return local != null;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Argument(0) SocketAddress remote,
                         @Advice.Thrown Throwable thrown, @Advice.Enter boolean boundFirst) {
            Hook.channelConnect(self, remote, thrown == null, thrown, boundFirst);
        }
    }

    /** {@code SocketChannelImpl.finishConnect()}. */
    static final class ChannelFinishConnect {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Return boolean connected,
                         @Advice.Thrown Throwable thrown) {
            Hook.channelFinishConnect(self, connected, thrown);
        }
    }

    /** {@code SocketChannelImpl.implCloseSelectableChannel()}: runs once per channel. */
    static final class ChannelClose {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self) {
            Hook.channelClosed(self);
        }
    }

    /** {@code ServerSocketChannelImpl.finishAccept(...)}: behind both accept() and the adaptor's accept. */
    static final class ChannelAccept {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Return Object accepted) {
            Hook.channelAccepted(accepted);
        }
    }

    /** {@code UnixAsynchronousSocketChannelImpl.implConnect(...)}: both the Future and the handler forms. */
    static final class AsyncConnect {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Argument(0) SocketAddress remote,
                          @Advice.FieldValue("localAddress") Object local) {
            Hook.asyncConnectBegin(self, remote, local != null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This AsynchronousSocketChannel self, @Advice.Thrown Throwable thrown) {
            Hook.asyncConnectEnd(self, self.isOpen(), thrown);
        }
    }

    /** {@code UnixAsynchronousSocketChannelImpl.setConnected()}: on whichever thread completes the connect. */
    static final class AsyncConnected {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Thrown Throwable thrown) {
            if (thrown == null) {
                Hook.asyncConnected(self);
            }
        }
    }

    /** {@code UnixAsynchronousSocketChannelImpl.implClose()}. */
    static final class AsyncClose {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.FieldValue("fd") FileDescriptor fd) {
            Hook.asyncClosed(self, fd);
        }
    }

    /** {@code UnixAsynchronousServerSocketChannelImpl.finishAccept(...)}. */
    static final class AsyncAccept {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Return Object accepted) {
            Hook.asyncAccepted(accepted);
        }
    }

    /**
     * {@code Socket.getInputStream().read(byte[], int, int)}: end of stream or a reset tells how the
     * peer ended the connection. A read that returns data costs one comparison.
     */
    static final class SocketRead {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.FieldValue("parent") Socket parent, @Advice.Return int n,
                         @Advice.Thrown Throwable thrown) {
            if (n < 0 || thrown != null) {
                Hook.readEnded(parent, thrown);
            }
        }
    }

    /** {@code SocketChannelImpl.read(ByteBuffer)} and the socket adaptor's {@code blockingRead}. */
    static final class ChannelRead {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Return int n, @Advice.Thrown Throwable thrown) {
            if (n < 0 || thrown != null) {
                Hook.readEnded(self, thrown);
            }
        }
    }

    /** {@code SocketChannelImpl.read(ByteBuffer[], int, int)}. */
    static final class ChannelScatteringRead {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Return long n, @Advice.Thrown Throwable thrown) {
            if (n < 0 || thrown != null) {
                Hook.readEnded(self, thrown);
            }
        }
    }

    /** {@code sun.nio.ch.Net.connect(ProtocolFamily, FileDescriptor, InetAddress, int)}: failures only. */
    static final class NetConnect {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(1) FileDescriptor fd, @Advice.Thrown Throwable thrown) {
            Hook.netConnectFailed(fd, thrown);
        }
    }

    // ---- Netty's native transports: advice inlined into library classes sees them only as Object ----

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
