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
        static void exit(@Advice.This Object self, @Advice.FieldValue("fd") FileDescriptor fd) {
            Hook.channelClosed(self, fd);
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

    /**
     * {@code sun.nio.ch.Net.pollConnectNow(FileDescriptor)}: failures only. A non-blocking connect
     * that failed closes its channel inside {@code finishConnect}, before the exception leaves it:
     * the close reads the cause back.
     */
    static final class NetPollConnect {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) FileDescriptor fd, @Advice.Thrown Throwable thrown) {
            Hook.netConnectFailed(fd, thrown);
        }
    }
}
