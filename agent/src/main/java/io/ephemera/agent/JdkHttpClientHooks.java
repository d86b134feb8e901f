package io.ephemera.agent;

import io.ephemera.hook.Hook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The JDK's {@code java.net.http.HttpClient}: {@code sendAsync} connects on the client's executor,
 * not on the thread that asked. Its classes are the JDK's, but the platform class loader defines
 * module {@code java.net.http}, so they are hooked like a library's, when they load: an application
 * that never makes an HTTP request never has them transformed, and the JDK hooks' count on the start
 * line stays what it is. The transformer lets {@code java.net.http} read the hook's module.
 *
 * <p>The exchange is the request's object from the caller's thread to the connect: the thread that
 * called {@code send} or {@code sendAsync} remembers its call site for it, the connect is made on
 * its behalf. The connection is decided on the executor's thread, after the caller returned, so the
 * call site is taken for every request (one walk of a known stack), pooled or not.
 */
final class JdkHttpClientHooks {

    private JdkHttpClientHooks() {
    }

    static List<HookPoint> points() {
        String http = "jdk.internal.net.http.";
        return List.of(
                jdk(http + "MultiExchange", "responseAsync(Executor)",
                        named("responseAsync").and(takesArguments(1))
                                .and(takesArgument(0, named("java.util.concurrent.Executor"))),
                        Asked.class, "the call sites that asked HttpClient.send or sendAsync for a connection"),
                jdk(http + "MultiExchange", "setExchange",
                        named("setExchange").and(takesArguments(1)),
                        NextExchange.class, "the call sites of redirected, retried and authenticated requests"),
                jdk(http + "PlainHttpConnection", "connectAsync",
                        named("connectAsync").and(takesArguments(1)),
                        Connect.class, "HttpClient connects attributed to the call site that asked"));
    }

    private static HookPoint jdk(String className, String method, ElementMatcher<? super MethodDescription> matcher,
                                 Class<?> advice, String covers) {
        return HookPoint.library("JDK HttpClient", "jdk.internal.net.http", className, method, matcher, advice, covers);
    }

    /**
     * {@code MultiExchange.responseAsync(Executor)}: on the thread that called {@code send} or
     * {@code sendAsync}, before anything runs on the executor; its first exchange remembers the site.
     */
    static final class Asked {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("exchange") Object exchange) {
            Hook.intent(exchange);
        }
    }

    /** {@code MultiExchange.setExchange(Exchange)}: the next exchange of the same request takes the first's site. */
    static final class NextExchange {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("exchange") Object previous, @Advice.Argument(0) Object next) {
            Hook.intentFollows(previous, next);
        }
    }

    /**
     * {@code PlainHttpConnection.connectAsync(Exchange)}: every new connection, plain, TLS or through a
     * proxy (the others delegate to it); the non-blocking connect inside is the exchange's.
     */
    static final class Connect {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object exchange) {
            return Hook.onBehalfBegin(exchange);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Hook.onBehalfEnd(token);
        }
    }
}
