package io.ephemera.agent;

import io.ephemera.hook.Hook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Apache HttpClient 5's async client (HttpCore 5's I/O reactor): a connection the pool decides to
 * open is a session request queued to a reactor thread, which connects a non-blocking channel. The
 * request remembers the call site of the thread that queued it (the one that called
 * {@code execute}, when the pool had room); the reactor connects on its behalf. A request served by
 * a pooled connection queues nothing and pays nothing. The classic client connects on the caller's
 * thread: the JDK's hooks see it as it is.
 */
final class ApacheHttpClientHooks {

    private ApacheHttpClientHooks() {
    }

    static List<HookPoint> points() {
        String reactor = "org.apache.hc.core5.reactor.";
        return List.of(
                apache(reactor + "IOSessionRequest", "<init>",
                        isConstructor().and(takesArguments(6)),
                        Queued.class, "the call sites that asked the async client for a new connection"),
                apache(reactor + "SingleCoreIOReactor", "processConnectionRequest",
                        named("processConnectionRequest").and(takesArguments(2))
                                .and(takesArgument(0, named("java.nio.channels.SocketChannel"))),
                        Connect.class, "async client connects attributed to the call site that asked"));
    }

    private static HookPoint apache(String className, String method, ElementMatcher<? super MethodDescription> matcher,
                                    Class<?> advice, String covers) {
        return HookPoint.library("Apache HttpClient 5", "org.apache.hc", className, method, matcher, advice, covers);
    }

    /** {@code IOSessionRequest(...)}: a new connection asked of the reactor, on the thread that asked. */
    static final class Queued {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object request) {
            Hook.intent(request);
        }
    }

    /** {@code SingleCoreIOReactor.processConnectionRequest(SocketChannel, IOSessionRequest)}: on the reactor thread. */
    static final class Connect {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(1) Object request) {
            return Hook.onBehalfBegin(request);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Hook.onBehalfEnd(token);
        }
    }
}
