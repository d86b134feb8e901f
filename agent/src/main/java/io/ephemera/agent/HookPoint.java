package io.ephemera.agent;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * One method the agent instruments, with the advice it gets and what it means to miss it: a JDK
 * method, or a library's (whose class is matched by the end of its name, so that copies moved to
 * another package by a shading plugin are hooked too).
 */
final class HookPoint {

    /** The class as the library names it; a shaded copy's name ends with it after a dot. */
    final String className;
    final String method;
    final ElementMatcher<? super MethodDescription> matcher;
    final Class<?> advice;
    final String covers;
    /** The library, for people: {@code Netty}; null for the JDK. */
    final String library;
    /** The library's root package, which a shaded copy's prefix goes before: {@code io.netty}. */
    final String root;

    private HookPoint(String library, String root, String className, String method,
                      ElementMatcher<? super MethodDescription> matcher, Class<?> advice, String covers) {
        this.library = library;
        this.root = root;
        this.className = className;
        this.method = method;
        this.matcher = not(isAbstract()).and(not(isNative())).and(matcher);
        this.advice = advice;
        this.covers = covers;
    }

    private HookPoint(String className, String method, ElementMatcher<? super MethodDescription> matcher,
                      Class<?> advice, String covers) {
        this(null, null, className, method, matcher, advice, covers);
    }

    /**
     * A library's method: {@code className} as the library names it, under {@code root}, its root
     * package ({@code io.netty}); a shaded copy's name ends with it after a dot.
     */
    static HookPoint library(String library, String root, String className, String method,
                             ElementMatcher<? super MethodDescription> matcher, Class<?> advice, String covers) {
        return new HookPoint(library, root, className, method, matcher, advice, covers);
    }

    /** Every library hook: one list per library, each in its own class with its advice. */
    static List<HookPoint> libraries() {
        List<HookPoint> all = new java.util.ArrayList<>();
        all.addAll(NettyHooks.points());
        all.addAll(ReactorNettyHooks.points());
        all.addAll(GrpcHooks.points());
        all.addAll(JdkHttpClientHooks.points());
        all.addAll(ApacheHttpClientHooks.points());
        all.addAll(OkHttpHooks.points());
        return all;
    }

    String name() {
        return className + "." + method;
    }

    /** Every JDK hook, in the order they are installed. */
    static List<HookPoint> all() {
        String socket = "java.net.Socket";
        String channel = "sun.nio.ch.SocketChannelImpl";
        String async = "sun.nio.ch.UnixAsynchronousSocketChannelImpl";
        return List.of(
                new HookPoint(socket, "connect", named("connect").and(takesArguments(2))
                        .and(takesArgument(0, named("java.net.SocketAddress"))).and(takesArgument(1, int.class)),
                        Advices.SocketConnect.class, "Socket connects"),
                new HookPoint(socket, "close", named("close").and(takesArguments(0)),
                        Advices.SocketClose.class, "Socket closes"),
                new HookPoint("java.net.ServerSocket", "implAccept", named("implAccept").and(takesArguments(1))
                        .and(takesArgument(0, named("java.net.Socket"))),
                        Advices.ServerSocketAccept.class, "ServerSocket accepts"),
                new HookPoint(channel, "connect", named("connect").and(takesArguments(1)).and(returns(boolean.class)),
                        Advices.ChannelConnect.class, "SocketChannel connects"),
                new HookPoint(channel, "blockingConnect", named("blockingConnect").and(takesArguments(2)),
                        Advices.ChannelBlockingConnect.class, "connects through SocketChannel.socket()"),
                new HookPoint(channel, "finishConnect", named("finishConnect").and(takesArguments(0)),
                        Advices.ChannelFinishConnect.class, "non-blocking SocketChannel connects"),
                new HookPoint(channel, "implCloseSelectableChannel",
                        named("implCloseSelectableChannel").and(takesArguments(0)),
                        Advices.ChannelClose.class, "SocketChannel closes"),
                new HookPoint("sun.nio.ch.ServerSocketChannelImpl", "finishAccept",
                        named("finishAccept").and(returns(named("java.nio.channels.SocketChannel"))),
                        Advices.ChannelAccept.class, "ServerSocketChannel accepts"),
                new HookPoint(async, "implConnect", named("implConnect").and(takesArguments(3)),
                        Advices.AsyncConnect.class, "AsynchronousSocketChannel connects"),
                new HookPoint(async, "setConnected", named("setConnected").and(takesArguments(0)),
                        Advices.AsyncConnected.class, "AsynchronousSocketChannel connects completing"),
                new HookPoint(async, "implClose", named("implClose").and(takesArguments(0)),
                        Advices.AsyncClose.class, "AsynchronousSocketChannel closes"),
                new HookPoint("sun.nio.ch.UnixAsynchronousServerSocketChannelImpl", "finishAccept",
                        named("finishAccept").and(returns(named("java.nio.channels.AsynchronousSocketChannel"))),
                        Advices.AsyncAccept.class, "AsynchronousServerSocketChannel accepts"),
                new HookPoint("java.net.Socket$SocketInputStream", "read", named("read").and(takesArguments(3)),
                        Advices.SocketRead.class, "how peers end Socket connections"),
                new HookPoint(channel, "read", named("read").and(takesArguments(1)).and(returns(int.class)),
                        Advices.ChannelRead.class, "how peers end SocketChannel connections"),
                new HookPoint(channel, "read(ByteBuffer[])", named("read").and(takesArguments(3)).and(returns(long.class)),
                        Advices.ChannelScatteringRead.class, "how peers end SocketChannel connections read with scattering reads"),
                new HookPoint(channel, "blockingRead", named("blockingRead").and(returns(int.class)),
                        Advices.ChannelRead.class, "how peers end connections read through SocketChannel.socket()"),
                new HookPoint("sun.nio.ch.Net", "connect", named("connect").and(takesArguments(4))
                        .and(takesArgument(1, named("java.io.FileDescriptor"))),
                        Advices.NetConnect.class, "the cause of failed asynchronous connects"),
                new HookPoint("sun.nio.ch.Net", "pollConnectNow", named("pollConnectNow").and(takesArguments(1))
                        .and(takesArgument(0, named("java.io.FileDescriptor"))),
                        Advices.NetPollConnect.class, "the cause of failed non-blocking connects"));
    }
}
