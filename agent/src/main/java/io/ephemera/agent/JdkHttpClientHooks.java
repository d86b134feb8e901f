package io.ephemera.agent;

import io.ephemera.agent.Weaver.Inline;

import java.util.List;

import static io.ephemera.agent.HookPoint.named;
import static io.ephemera.agent.Weaver.O;
import static io.ephemera.agent.Weaver.Value.arg;
import static io.ephemera.agent.Weaver.Value.field;

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
                        named("responseAsync").takes(1).arg(0, "java.util.concurrent.Executor"),
                        // on the thread that called send or sendAsync, before anything runs on the executor; its
                        // first exchange remembers the site
                        Inline.enter("intent", "(" + O + ")V", field("exchange")),
                        "the call sites that asked HttpClient.send or sendAsync for a connection"),
                jdk(http + "MultiExchange", "setExchange",
                        named("setExchange").takes(1),
                        // the next exchange of the same request takes the first's site
                        Inline.enter("intentFollows", "(" + O + O + ")V", field("exchange"), arg(0)),
                        "the call sites of redirected, retried and authenticated requests"),
                jdk(http + "PlainHttpConnection", "connectAsync",
                        named("connectAsync").takes(1),
                        // connectAsync(Exchange): every new connection, plain, TLS or through a proxy (the others
                        // delegate to it); the non-blocking connect inside is the exchange's
                        Inline.onBehalfOf(arg(0)),
                        "HttpClient connects attributed to the call site that asked"));
    }

    private static HookPoint jdk(String className, String method, HookPoint.Match match, Inline inline,
                                  String covers) {
        return HookPoint.library("JDK HttpClient", "jdk.internal.net.http", className, method, match, inline, covers);
    }
}
