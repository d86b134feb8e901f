package io.ephemera.hook;

import java.io.FileDescriptor;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one class the instrumented JDK methods call. It lives in the bootstrap class loader
 * because advice inlined into {@code java.*} and {@code sun.*} classes can only see bootstrap
 * types, so it depends on nothing but the JDK.
 *
 * <p>Rules: every entry point catches every {@link Throwable} (the host application never sees
 * an exception from the agent); nothing here allocates unless an event needs it; the sink is one
 * volatile read.
 */
public final class Hook {

    /** The {@code owner} is a {@link java.net.Socket}. */
    public static final int API_SOCKET = 0;
    /** The {@code owner} is a {@link java.nio.channels.SocketChannel}. */
    public static final int API_CHANNEL = 1;
    /** The {@code owner} is a {@link java.nio.channels.AsynchronousSocketChannel}. */
    public static final int API_ASYNC = 2;
    /**
     * The {@code owner} is a native transport's socket: Netty's {@code io.netty.channel.unix.Socket},
     * under whatever package a shading plugin moved it to.
     */
    public static final int API_NATIVE = 3;

    private static final Sink NONE = new NoSink();

    private static volatile Sink sink = NONE;

    /** Errors swallowed before a sink could be told, or while telling it failed. */
    private static final AtomicLong LOST_ERRORS = new AtomicLong();

    /**
     * The last exception {@code sun.nio.ch.Net.connect} or {@code pollConnectNow} threw on this
     * thread, with the descriptor it was for. The asynchronous channel swallows it and closes
     * itself, and {@code SocketChannel.finishConnect} closes the channel before it throws: the close
     * reads it back to classify the failure. Written only on the failure path.
     */
    private static final ThreadLocal<ConnectError> LAST_CONNECT_ERROR = new ThreadLocal<>();

    private Hook() {
    }

    /**
     * Installs the sink. Returns false when one was installed already: the agent is loaded once
     * per JVM, whatever loads it (command line, attach, twice).
     */
    public static synchronized boolean install(Sink newSink) {
        if (sink != NONE) {
            return false;
        }
        sink = newSink;
        return true;
    }

    /** True once an agent has installed its sink in this JVM. */
    public static boolean installed() {
        return sink != NONE;
    }

    /** Errors that could not be handed to a sink. */
    public static long lostErrors() {
        return LOST_ERRORS.get();
    }

    // ---- java.net.Socket / ServerSocket -------------------------------------------------------

    public static void socketConnect(Socket socket, SocketAddress remote, Throwable thrown, boolean boundFirst) {
        Sink s = sink;
        try {
            if (thrown == null) {
                s.connected(socket, API_SOCKET, remote, boundFirst);
            } else {
                s.connectFailed(socket, API_SOCKET, remote, thrown, boundFirst);
            }
        } catch (Throwable t) {
            error(s, t);
        }
    }

    public static void socketAccepted(Socket socket, Throwable thrown) {
        if (thrown != null) {
            return;
        }
        Sink s = sink;
        try {
            s.accepted(socket, API_SOCKET);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    public static void socketClosed(Socket socket) {
        Sink s = sink;
        try {
            s.closed(socket, API_SOCKET, null);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    // ---- SocketChannel / ServerSocketChannel ---------------------------------------------------

    /** Exit of {@code connect(SocketAddress)}: true connected, false pending, or thrown. */
    public static void channelConnect(Object channel, SocketAddress remote, boolean connected, Throwable thrown,
                                      boolean boundFirst) {
        Sink s = sink;
        try {
            if (thrown != null) {
                s.connectFailed(channel, API_CHANNEL, remote, thrown, boundFirst);
            } else if (connected) {
                s.connected(channel, API_CHANNEL, remote, boundFirst);
            } else {
                s.connectPending(channel, API_CHANNEL, remote, boundFirst);
            }
        } catch (Throwable t) {
            error(s, t);
        }
    }

    /** Exit of {@code finishConnect()}. */
    public static void channelFinishConnect(Object channel, boolean connected, Throwable thrown) {
        if (thrown == null && !connected) {
            return;
        }
        Sink s = sink;
        try {
            if (thrown != null) {
                s.pendingFailed(channel, thrown, true);
            } else {
                s.pendingConnected(channel);
            }
        } catch (Throwable t) {
            error(s, t);
        }
    }

    public static void channelAccepted(Object channel) {
        if (channel == null) {
            return;
        }
        Sink s = sink;
        try {
            s.accepted(channel, API_CHANNEL);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    public static void channelClosed(Object channel, FileDescriptor fd) {
        Sink s = sink;
        try {
            s.closed(channel, API_CHANNEL, fd);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    // ---- AsynchronousSocketChannel ---------------------------------------------------------------

    public static void asyncConnectBegin(Object channel, SocketAddress remote, boolean boundFirst) {
        Sink s = sink;
        try {
            s.connectPending(channel, API_ASYNC, remote, boundFirst);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    /** Exit of {@code implConnect}: a throw there means the attempt never reached the kernel. */
    public static void asyncConnectEnd(Object channel, boolean open, Throwable thrown) {
        if (thrown == null && open) {
            return;
        }
        Sink s = sink;
        try {
            s.pendingFailed(channel, thrown, false);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    public static void asyncConnected(Object channel) {
        Sink s = sink;
        try {
            s.pendingConnected(channel);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    public static void asyncAccepted(Object channel) {
        if (channel == null) {
            return;
        }
        Sink s = sink;
        try {
            s.accepted(channel, API_ASYNC);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    public static void asyncClosed(Object channel, FileDescriptor fd) {
        Sink s = sink;
        try {
            s.closed(channel, API_ASYNC, fd);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    // ---- Netty's native transports (epoll), in any package a shading plugin moved them to ----------

    /**
     * Channels whose connects are TCP: the stream channels. Datagram channels connect the same
     * socket class and are not TCP; domain sockets are told apart by their address.
     */
    private static final ClassValue<Boolean> STREAM_CHANNEL = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                String n = c.getName();
                if (n.endsWith(".channel.epoll.AbstractEpollStreamChannel")
                        || n.endsWith(".channel.uring.AbstractIoUringStreamChannel")) {
                    return Boolean.TRUE;
                }
            }
            return Boolean.FALSE;
        }
    };

    /**
     * Exit of {@code AbstractEpollChannel.doConnect(remote, local)}: {@code socket} is the channel's
     * socket (the connection's owner); true connected, false pending, or thrown.
     */
    public static void nativeConnect(Object channel, Object socket, SocketAddress remote, boolean connected,
                                     Throwable thrown, boolean boundFirst) {
        Sink s = sink;
        try {
            if (socket == null || !STREAM_CHANNEL.get(channel.getClass())) {
                return;
            }
            Object token = s.onBehalfBegin(channel); // the call site that asked for this channel
            try {
                if (thrown != null) {
                    s.connectFailed(socket, API_NATIVE, remote, thrown, boundFirst);
                } else if (connected) {
                    s.connected(socket, API_NATIVE, remote, boundFirst);
                } else {
                    s.connectPending(socket, API_NATIVE, remote, boundFirst);
                }
            } finally {
                s.onBehalfEnd(token);
            }
        } catch (Throwable t) {
            error(s, t);
        }
    }

    /**
     * Entry of io_uring's {@code AbstractUringUnsafe.connectComplete(op, res, flags, data)}: the
     * completion of a connect submitted to the ring; {@code res} is 0 or a negative errno.
     */
    public static void uringConnectComplete(Object channel, int res) {
        if (res == -115 || res == -114) {
            return; // EINPROGRESS, EALREADY: Netty polls and calls Socket.finishConnect, hooked too
        }
        Sink s = sink;
        try {
            Object socket = NativeChannels.socketOf(channel);
            if (socket == null) {
                return;
            }
            if (res == 0) {
                s.pendingConnected(socket);
            } else {
                s.pendingFailed(socket, connectError(res), true); // a failure path: allocation is fine
            }
        } catch (Throwable t) {
            error(s, t);
        }
    }

    /** The exception a blocking connect would have thrown for {@code -errno}, for its cause. */
    static java.io.IOException connectError(int res) {
        switch (-res) {
            case 111: return new java.net.ConnectException("Connection refused");
            case 110: return new java.net.ConnectException("Connection timed out");
            case 101: case 113: return new java.net.NoRouteToHostException("No route to host");
            case 99: return new java.net.ConnectException("Cannot assign requested address");
            case 98: return new java.net.ConnectException("Address already in use");
            default: return new java.net.ConnectException("connect failed with errno " + -res);
        }
    }

    /**
     * Entry of io_uring's stream read completion: {@code res} 0 is end of stream, -104 a reset
     * (ECONNRESET); anything else returns at once.
     */
    public static void uringReadComplete(Object channel, int res) {
        if (res != 0 && res != -104) {
            return;
        }
        Sink s = sink;
        try {
            Object socket = NativeChannels.socketOf(channel);
            if (socket != null) {
                s.peerEnded(socket, res != 0);
            }
        } catch (Throwable t) {
            error(s, t);
        }
    }

    /** Exit of the accepted child channel's constructor: {@code socket} is its socket. */
    public static void nativeAccepted(Object socket, SocketAddress remote) {
        if (socket == null) {
            return;
        }
        Sink s = sink;
        try {
            s.acceptedFrom(socket, API_NATIVE, remote);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    /** Exit of {@code io.netty.channel.unix.FileDescriptor.markClosed()} that returned true: any descriptor, mostly not a connection's. */
    public static void nativeClosed(Object fd) {
        Sink s = sink;
        try {
            s.closed(fd, API_NATIVE, null);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    /**
     * Exit of a native read that returned end of stream or threw. Netty's message names the call
     * first: {@code readAddress(..) failed with error(-104): Connection reset by peer}.
     */
    public static void nativeReadEnded(Object fd, Throwable thrown) {
        if (thrown != null) {
            String m = thrown instanceof java.io.IOException ? thrown.getMessage() : null;
            if (m == null || !m.contains("Connection reset")) {
                return;
            }
        }
        Sink s = sink;
        try {
            s.peerEnded(fd, thrown != null);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    // ---- reads: how the peer ended a connection --------------------------------------------------

    /**
     * Exit of a read that returned end of stream ({@code thrown} null) or threw. Called by the
     * advice only on those two paths, never on a read that returned data.
     */
    public static void readEnded(Object owner, Throwable thrown) {
        if (thrown != null && !isReset(thrown)) {
            return; // a timeout, or closed by another thread: the peer did not end it
        }
        Sink s = sink;
        try {
            s.peerEnded(owner, thrown != null);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    /** "Connection reset" from a Socket, "Connection reset by peer" from a channel. */
    static boolean isReset(Throwable thrown) {
        if (!(thrown instanceof java.io.IOException) || thrown instanceof java.net.SocketTimeoutException) {
            return false;
        }
        String m = thrown.getMessage();
        return m != null && m.startsWith("Connection reset");
    }

    // ---- handoffs: a library connecting on its own thread for the application's call ------------

    /** What {@link #onBehalfBegin} returns when it changed nothing; {@link #onBehalfEnd} ignores it. */
    public static final Object UNCHANGED = new Object();

    /**
     * At a library entry point that can lead to a new connection, on the thread that asked for it:
     * {@code key} remembers this thread's call site. See {@link Sink#intent}.
     */
    public static void intent(Object key) {
        if (key == null) {
            return;
        }
        Sink s = sink;
        try {
            s.intent(key);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    /** {@code to} takes the call site remembered for {@code from}. */
    public static void intentFollows(Object from, Object to) {
        if (from == null || to == null) {
            return;
        }
        Sink s = sink;
        try {
            s.intentFollows(from, to);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    /**
     * Exit of Netty's {@code AbstractBootstrap.initAndRegister()}: the channel of the returned
     * future, created for this {@code Bootstrap.connect} and not connected yet, remembers this
     * thread's call site.
     */
    public static void intentForChannelOf(Object channelFuture) {
        if (channelFuture == null) {
            return;
        }
        Sink s = sink;
        try {
            Object channel = NativeChannels.channelOf(channelFuture);
            if (channel != null && !NativeChannels.isServer(channel)) { // ServerBootstrap.bind passes here too
                s.intent(channel);
            }
        } catch (Throwable t) {
            error(s, t);
        }
    }

    /** Entry of a library's connect on its own thread for {@code key}. Pair with {@link #onBehalfEnd}. */
    public static Object onBehalfBegin(Object key) {
        if (key == null) {
            return UNCHANGED;
        }
        Sink s = sink;
        try {
            return s.onBehalfBegin(key);
        } catch (Throwable t) {
            error(s, t);
            return UNCHANGED;
        }
    }

    public static void onBehalfEnd(Object token) {
        if (token == UNCHANGED) {
            return;
        }
        Sink s = sink;
        try {
            s.onBehalfEnd(token);
        } catch (Throwable t) {
            error(s, t);
        }
    }

    // ---- sun.nio.ch.Net ----------------------------------------------------------------------------

    /**
     * Exit of {@code Net.connect} and {@code Net.pollConnectNow}: remembers a failure for the
     * close that follows it (the asynchronous channel's, or the one inside {@code finishConnect}).
     */
    public static void netConnectFailed(FileDescriptor fd, Throwable thrown) {
        if (thrown == null) {
            return;
        }
        try {
            LAST_CONNECT_ERROR.set(new ConnectError(fd, thrown));
        } catch (Throwable t) {
            error(sink, t);
        }
    }

    /**
     * Returns and forgets the failure {@code Net.connect} last threw on this thread for
     * {@code fd}, or null.
     */
    public static Throwable takeConnectError(FileDescriptor fd) {
        ConnectError e = LAST_CONNECT_ERROR.get();
        if (e == null) {
            return null;
        }
        LAST_CONNECT_ERROR.remove();
        return e.fd == fd ? e.thrown : null;
    }

    private static void error(Sink s, Throwable t) {
        try {
            s.agentError(t);
        } catch (Throwable ignored) {
            LOST_ERRORS.incrementAndGet();
        }
    }

    private static final class ConnectError {
        final FileDescriptor fd;
        final Throwable thrown;

        ConnectError(FileDescriptor fd, Throwable thrown) {
            this.fd = fd;
            this.thrown = thrown;
        }
    }

    /** The sink before the agent installs its own, and after it turns itself off. */
    private static final class NoSink implements Sink {
        @Override
        public void connected(Object owner, int api, SocketAddress remote, boolean boundFirst) {
        }

        @Override
        public void connectFailed(Object owner, int api, SocketAddress remote, Throwable thrown, boolean boundFirst) {
        }

        @Override
        public void connectPending(Object owner, int api, SocketAddress remote, boolean boundFirst) {
        }

        @Override
        public void pendingConnected(Object owner) {
        }

        @Override
        public void pendingFailed(Object owner, Throwable thrown, boolean counted) {
        }

        @Override
        public void accepted(Object owner, int api) {
        }

        @Override
        public void acceptedFrom(Object owner, int api, SocketAddress remote) {
        }

        @Override
        public void closed(Object owner, int api, FileDescriptor fd) {
        }

        @Override
        public void peerEnded(Object owner, boolean reset) {
        }

        @Override
        public void intent(Object key) {
        }

        @Override
        public void intentFollows(Object from, Object to) {
        }

        @Override
        public Object onBehalfBegin(Object key) {
            return UNCHANGED;
        }

        @Override
        public void onBehalfEnd(Object token) {
        }

        @Override
        public void agentError(Throwable error) {
            LOST_ERRORS.incrementAndGet();
        }
    }
}
