package io.ephemera.agent;

import io.ephemera.agent.Weaver.Inline;
import net.bytebuddy.jar.asm.Type;

import java.util.List;

import static io.ephemera.agent.Weaver.Value.ENTERED;
import static io.ephemera.agent.Weaver.Value.RETURNED;
import static io.ephemera.agent.Weaver.Value.SELF;
import static io.ephemera.agent.Weaver.Value.THROWN;
import static io.ephemera.agent.Weaver.Value.arg;
import static io.ephemera.agent.Weaver.Value.field;

/**
 * One method the agent instruments, with the calls it gets and what it means to miss it: a JDK
 * method, or a library's (whose class is matched by the end of its name, so that copies moved to
 * another package by a shading plugin are hooked too).
 */
final class HookPoint {

    /** The class as the library names it; a shaded copy's name ends with it after a dot. */
    final String className;
    final String method;
    /** Which methods of the class (abstract and native ones never are). */
    final Match match;
    final Inline inline;
    final String covers;
    /** The library, for people: {@code Netty}; null for the JDK. */
    final String library;
    /** The library's root package, which a shaded copy's prefix goes before: {@code io.netty}. */
    final String root;

    private HookPoint(String library, String root, String className, String method,
                      Match match, Inline inline, String covers) {
        this.library = library;
        this.root = root;
        this.className = className;
        this.method = method;
        this.match = match;
        this.inline = inline;
        this.covers = covers;
    }

    private HookPoint(String className, String method, Match match, Inline inline, String covers) {
        this(null, null, className, method, match, inline, covers);
    }

    /**
     * A library's method: {@code className} as the library names it, under {@code root}, its root
     * package ({@code io.netty}); a shaded copy's name ends with it after a dot.
     */
    static HookPoint library(String library, String root, String className, String method,
                             Match match, Inline inline, String covers) {
        return new HookPoint(library, root, className, method, match, inline, covers);
    }

    /** Every library hook: one list per library, each in its own class with its calls. */
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
        String o = Weaver.O;
        String t = Weaver.T;
        String fd = "Ljava/io/FileDescriptor;";
        Inline channelRead = Inline.exitOrThrow("readReturned", "(" + o + "I" + t + ")V", SELF, RETURNED, THROWN);
        return List.of(
                new HookPoint(socket, "connect", named("connect").takes(2).arg(0, "java.net.SocketAddress").arg(1, "int"),
                        Inline.enter("socketBound", "(" + o + ")Z", SELF)
                                .andExitOrThrow("socketConnect", "(" + o + o + t + "Z)V", SELF, arg(0), THROWN, ENTERED),
                        "Socket connects"),
                new HookPoint(socket, "close", named("close").takes(0),
                        Inline.exitOrThrow("socketClosed", "(" + o + ")V", SELF), "Socket closes"),
                new HookPoint("java.net.ServerSocket", "implAccept",
                        named("implAccept").takes(1).arg(0, "java.net.Socket"),
                        Inline.exitOrThrow("socketAccepted", "(" + o + t + ")V", arg(0), THROWN),
                        "ServerSocket accepts"),
                new HookPoint(channel, "connect", named("connect").takes(1).returns("boolean"),
                        Inline.enter("notNull", "(" + o + ")Z", field("localAddress"))
                                .andExitOrThrow("channelConnect", "(" + o + o + "Z" + t + "Z)V",
                                        SELF, arg(0), RETURNED, THROWN, ENTERED),
                        "SocketChannel connects"),
                new HookPoint(channel, "blockingConnect", named("blockingConnect").takes(2),
                        Inline.enter("notNull", "(" + o + ")Z", field("localAddress"))
                                .andExitOrThrow("channelBlockingConnect", "(" + o + o + t + "Z)V",
                                        SELF, arg(0), THROWN, ENTERED),
                        "connects through SocketChannel.socket()"),
                new HookPoint(channel, "finishConnect", named("finishConnect").takes(0),
                        Inline.exitOrThrow("channelFinishConnect", "(" + o + "Z" + t + ")V", SELF, RETURNED, THROWN),
                        "non-blocking SocketChannel connects"),
                new HookPoint(channel, "implCloseSelectableChannel", named("implCloseSelectableChannel").takes(0),
                        Inline.exitOrThrow("channelClosed", "(" + o + fd + ")V", SELF, field("fd")),
                        "SocketChannel closes"),
                new HookPoint("sun.nio.ch.ServerSocketChannelImpl", "finishAccept",
                        named("finishAccept").returns("java.nio.channels.SocketChannel"),
                        Inline.exitOrThrow("channelAccepted", "(" + o + ")V", RETURNED),
                        "ServerSocketChannel accepts"),
                new HookPoint(async, "implConnect", named("implConnect").takes(3),
                        Inline.enter("asyncConnectBegin", "(" + o + o + o + ")V", SELF, arg(0), field("localAddress"))
                                .andExitOrThrow("asyncConnectEnd", "(" + o + t + ")V", SELF, THROWN),
                        "AsynchronousSocketChannel connects"),
                new HookPoint(async, "setConnected", named("setConnected").takes(0),
                        Inline.exitOrThrow("asyncConnected", "(" + o + t + ")V", SELF, THROWN),
                        "AsynchronousSocketChannel connects completing"),
                new HookPoint(async, "implClose", named("implClose").takes(0),
                        Inline.enter("asyncClosed", "(" + o + fd + ")V", SELF, field("fd")),
                        "AsynchronousSocketChannel closes"),
                new HookPoint("sun.nio.ch.UnixAsynchronousServerSocketChannelImpl", "finishAccept",
                        named("finishAccept").returns("java.nio.channels.AsynchronousSocketChannel"),
                        Inline.exitOrThrow("asyncAccepted", "(" + o + ")V", RETURNED),
                        "AsynchronousServerSocketChannel accepts"),
                new HookPoint("java.net.Socket$SocketInputStream", "read", named("read").takes(3),
                        Inline.exitOrThrow("readReturned", "(" + o + "I" + t + ")V", field("parent"), RETURNED, THROWN),
                        "how peers end Socket connections"),
                new HookPoint(channel, "read", named("read").takes(1).returns("int"), channelRead,
                        "how peers end SocketChannel connections"),
                new HookPoint(channel, "read(ByteBuffer[])", named("read").takes(3).returns("long"),
                        Inline.exitOrThrow("readReturned", "(" + o + "J" + t + ")V", SELF, RETURNED, THROWN),
                        "how peers end SocketChannel connections read with scattering reads"),
                new HookPoint(channel, "blockingRead", named("blockingRead").returns("int"), channelRead,
                        "how peers end connections read through SocketChannel.socket()"),
                new HookPoint("sun.nio.ch.Net", "connect", named("connect").takes(4).arg(1, "java.io.FileDescriptor"),
                        Inline.exitOrThrow("netConnectFailed", "(" + fd + t + ")V", arg(1), THROWN),
                        "the cause of failed asynchronous connects"),
                new HookPoint("sun.nio.ch.Net", "pollConnectNow",
                        named("pollConnectNow").takes(1).arg(0, "java.io.FileDescriptor"),
                        Inline.exitOrThrow("netConnectFailed", "(" + fd + t + ")V", arg(0), THROWN),
                        "the cause of failed non-blocking connects"));
    }

    /** Methods named {@code name}. */
    static Match named(String name) {
        return new Match(name);
    }

    /** Constructors. */
    static Match constructor() {
        return new Match("<init>");
    }

    /**
     * Which methods of a class a hook takes, by name, number of parameters, some parameters' and the
     * return's type names ({@code int}, {@code java.net.SocketAddress}), or how they end (a shaded
     * copy's names differ in front). Built once; read by every thread that loads a class.
     */
    static final class Match {
        private final String name;
        private int takes = -1;
        private final List<Object[]> args = new java.util.ArrayList<>(); // {index, type name, ends with}
        private String returns;
        private String noParameterEndingWith;

        private Match(String name) {
            this.name = name;
        }

        Match takes(int count) {
            takes = count;
            return this;
        }

        Match arg(int index, String typeName) {
            args.add(new Object[] {index, typeName, Boolean.FALSE});
            return this;
        }

        Match argEndsWith(int index, String suffix) {
            args.add(new Object[] {index, suffix, Boolean.TRUE});
            return this;
        }

        Match returns(String typeName) {
            returns = typeName;
            return this;
        }

        /** None of the parameters' type names ends with {@code suffix}. */
        Match noParameterEndingWith(String suffix) {
            noParameterEndingWith = suffix;
            return this;
        }

        boolean matches(String methodName, String desc) {
            if (!name.equals(methodName)) {
                return false;
            }
            Type[] params = Type.getArgumentTypes(desc);
            if (takes >= 0 && params.length != takes) {
                return false;
            }
            for (Object[] a : args) {
                int i = (Integer) a[0];
                if (i >= params.length) {
                    return false;
                }
                String n = params[i].getClassName();
                if ((Boolean) a[2] ? !n.endsWith((String) a[1]) : !n.equals(a[1])) {
                    return false;
                }
            }
            if (returns != null && !Type.getReturnType(desc).getClassName().equals(returns)) {
                return false;
            }
            if (noParameterEndingWith != null) {
                for (Type p : params) {
                    if (p.getClassName().endsWith(noParameterEndingWith)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
