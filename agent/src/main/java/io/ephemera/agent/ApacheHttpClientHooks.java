package io.ephemera.agent;

import io.ephemera.agent.Weaver.Inline;

import java.util.List;

import static io.ephemera.agent.HookPoint.constructor;
import static io.ephemera.agent.HookPoint.named;
import static io.ephemera.agent.Weaver.O;
import static io.ephemera.agent.Weaver.Value.SELF;
import static io.ephemera.agent.Weaver.Value.arg;

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
                        constructor().takes(6),
                        // a new connection asked of the reactor, on the thread that asked
                        Inline.exit("intent", "(" + O + ")V", SELF),
                        "the call sites that asked the async client for a new connection"),
                apache(reactor + "SingleCoreIOReactor", "processConnectionRequest",
                        named("processConnectionRequest").takes(2).arg(0, "java.nio.channels.SocketChannel"),
                        // processConnectionRequest(SocketChannel, IOSessionRequest): on the reactor thread
                        Inline.onBehalfOf(arg(1)),
                        "async client connects attributed to the call site that asked"));
    }

    private static HookPoint apache(String className, String method, HookPoint.Match match, Inline inline,
                                  String covers) {
        return HookPoint.library("Apache HttpClient 5", "org.apache.hc", className, method, match, inline, covers);
    }
}
