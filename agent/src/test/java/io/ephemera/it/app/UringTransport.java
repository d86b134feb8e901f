package io.ephemera.it.app;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/** Netty 4.2's io_uring transport, apart so that a run on Netty 4.1 (which has none) never loads it. */
final class UringTransport {

    private UringTransport() {
    }

    /** Why io_uring cannot be used here (the kernel, a seccomp filter), or null. */
    static Throwable unavailabilityCause() {
        return IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
    }

    static EventLoopGroup group() {
        return new MultiThreadIoEventLoopGroup(2, IoUringIoHandler.newFactory());
    }

    static Class<? extends ServerChannel> serverChannel() {
        return IoUringServerSocketChannel.class;
    }

    static Class<? extends Channel> clientChannel() {
        return IoUringSocketChannel.class;
    }
}
