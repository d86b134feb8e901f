package io.ephemera.agent;

import io.ephemera.agent.Weaver.Inline;

import java.util.List;

import static io.ephemera.agent.HookPoint.constructor;
import static io.ephemera.agent.HookPoint.named;
import static io.ephemera.agent.Weaver.O;
import static io.ephemera.agent.Weaver.Value.SELF;
import static io.ephemera.agent.Weaver.Value.field;

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
 * What is woven into OkHttp's classes sees them only as {@code Object}: a shaded copy names them
 * otherwise.
 */
final class OkHttpHooks {

    private OkHttpHooks() {
    }

    static List<HookPoint> points() {
        String connection = "okhttp3.internal.connection.";
        return List.of(
                okhttp(connection + "RealCall", "enqueue",
                        named("enqueue").takes(1),
                        // on the application's thread: the call remembers its site; whether it needs a new
                        // connection is decided later, on the dispatcher's thread
                        Inline.enter("intent", "(" + O + ")V", SELF),
                        "the call sites that asked Call.enqueue for a response"),
                okhttp(connection + "RealCall$AsyncCall", "run",
                        named("run").takes(0),
                        // on OkHttp's dispatcher thread: 4.x connects right there, 5.x plans its connections there
                        Inline.onBehalfOf(field("this$0")),
                        "OkHttp connects on its dispatcher threads attributed to the call site that asked"),
                okhttp(connection + "ConnectPlan", "<init>",
                        constructor().noParameterEndingWith("kotlin.jvm.internal.DefaultConstructorMarker"),
                        // 5.x, not Kotlin's default-arguments bridge, which calls it: a new connection planned on the
                        // call's thread, after the pool had none to reuse; a call that has a site already (enqueued,
                        // or a second plan) keeps it without a walk
                        Inline.exit("intent", "(" + O + ")V", field("call")),
                        "the call sites that asked OkHttp 5 for a new connection"),
                okhttp(connection + "ConnectPlan", "connectTcp",
                        named("connectTcp").takes(0),
                        // on a TaskRunner thread, or the call's without fast fallback
                        Inline.onBehalfOf(field("call")),
                        "OkHttp 5 connects on its TaskRunner threads attributed to the call site that asked"));
    }

    private static HookPoint okhttp(String className, String method, HookPoint.Match match, Inline inline,
                                  String covers) {
        return HookPoint.library("OkHttp", "okhttp3", className, method, match, inline, covers);
    }
}
