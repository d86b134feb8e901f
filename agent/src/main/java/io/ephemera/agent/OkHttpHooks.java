package io.ephemera.agent;

import io.ephemera.hook.Hook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.hasParameters;
import static net.bytebuddy.matcher.ElementMatchers.hasType;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.whereNone;

/**
 * OkHttp's handoffs (4.x and 5.x), keyed by the call ({@code RealCall}): every connection OkHttp
 * opens for a call is attributed to the stack that called {@code Call.execute()} or
 * {@code Call.enqueue()}. The TCP connect itself goes through {@code java.net.Socket}, hooked already.
 *
 * <ul>
 *   <li>4.x {@code execute()} connects on the caller's thread: nothing to do.</li>
 *   <li>{@code enqueue()} (4.x and 5.x) runs the call on a dispatcher thread, where the new
 *       connection is decided: the caller's stack exists only at {@code enqueue}, so every
 *       asynchronous call pays one walk of a known site there, pooled or not.</li>
 *   <li>5.x connects on a TaskRunner thread ("fast fallback"), even for {@code execute()}: the
 *       call's thread plans the connection ({@code ConnectPlan}), which is where the caller's site
 *       is taken, so a request that reuses a pooled connection pays nothing.</li>
 * </ul>
 * Advice inlined into OkHttp's classes sees them only as {@code Object}: a shaded copy names them
 * otherwise. Only bootstrap types appear.
 */
final class OkHttpHooks {

    private OkHttpHooks() {
    }

    static List<HookPoint> points() {
        String connection = "okhttp3.internal.connection.";
        return List.of(
                okhttp(connection + "RealCall", "enqueue",
                        named("enqueue").and(takesArguments(1)),
                        Enqueue.class, "the call sites that asked Call.enqueue for a response"),
                okhttp(connection + "RealCall$AsyncCall", "run",
                        named("run").and(takesArguments(0)),
                        AsyncCallRun.class, "OkHttp connects on its dispatcher threads attributed to the call site that asked"),
                okhttp(connection + "ConnectPlan", "<init>",
                        isConstructor().and(hasParameters(whereNone(hasType(
                                nameEndsWith("kotlin.jvm.internal.DefaultConstructorMarker"))))),
                        PlanConnect.class, "the call sites that asked OkHttp 5 for a new connection"),
                okhttp(connection + "ConnectPlan", "connectTcp",
                        named("connectTcp").and(takesArguments(0)),
                        ConnectTcp.class, "OkHttp 5 connects on its TaskRunner threads attributed to the call site that asked"));
    }

    private static HookPoint okhttp(String className, String method, ElementMatcher<? super MethodDescription> matcher,
                                    Class<?> advice, String covers) {
        return HookPoint.library("OkHttp", "okhttp3", className, method, matcher, advice, covers);
    }

    /**
     * {@code RealCall.enqueue(Callback)}, on the application's thread: the call remembers its site.
     * Whether it needs a new connection is decided later, on the dispatcher's thread.
     */
    static final class Enqueue {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object call) {
            Hook.intent(call);
        }
    }

    /**
     * {@code RealCall$AsyncCall.run()}, on OkHttp's dispatcher thread: 4.x connects right there,
     * 5.x plans its connections there (which then follow the call).
     */
    static final class AsyncCallRun {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.FieldValue("this$0") Object call) {
            return Hook.onBehalfBegin(call);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Hook.onBehalfEnd(token);
        }
    }

    /**
     * {@code ConnectPlan(...)} (5.x; not Kotlin's default-arguments bridge, which calls it): a new
     * connection planned on the call's thread, after the pool had none to reuse. A call that has a
     * site already (enqueued, or a second plan) keeps it without a walk.
     */
    static final class PlanConnect {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("call") Object call) {
            Hook.intent(call);
        }
    }

    /** {@code ConnectPlan.connectTcp()} (5.x), on a TaskRunner thread, or the call's without fast fallback. */
    static final class ConnectTcp {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.FieldValue("call") Object call) {
            return Hook.onBehalfBegin(call);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Hook.onBehalfEnd(token);
        }
    }
}
