package io.ephemera.agent;

import io.ephemera.agent.Weaver.Inline;

import java.util.List;

import static io.ephemera.agent.HookPoint.constructor;
import static io.ephemera.agent.HookPoint.named;
import static io.ephemera.agent.Weaver.O;
import static io.ephemera.agent.Weaver.Value.CALLER_LOOKUP;
import static io.ephemera.agent.Weaver.Value.RETURNED;
import static io.ephemera.agent.Weaver.Value.SELF;
import static io.ephemera.agent.Weaver.Value.arg;

/**
 * Reactor Netty's client. It never calls {@code Bootstrap.connect}: it makes the channel itself
 * ({@code TransportConnector.doInitAndRegister}) on the thread that subscribed, or on the thread
 * that drained its pool, and asks the event loop for {@code Channel.connect}, which Netty's hooks
 * attribute to the channel's remembered call site. So the channel remembers the stack that made it
 * (a request's {@code block()} on the application's thread): one walk per new connection, none
 * for a request a pooled connection serves. Where that thread has no application frame (a
 * subscription on a scheduler's thread, a retry on the event loop), the channel takes the call site
 * that built the {@code HttpClient}: its {@code HttpConnectionProvider}, made once per
 * {@code HttpClient.create()} or {@code newConnection()} and shared by every copy its
 * configuration methods make, remembers it.
 */
final class ReactorNettyHooks {

    private ReactorNettyHooks() {
    }

    static List<HookPoint> points() {
        return List.of(
                reactor("reactor.netty.http.client.HttpConnectionProvider", "<init>(ConnectionProvider)",
                        constructor().takes(1),
                        // made by HttpClient.create(), create(ConnectionProvider) and newConnection() on the thread
                        // that builds the client
                        Inline.exit("intent", "(" + O + ")V", SELF),
                        "the call sites that built an HttpClient, for its connections made off the application's threads"),
                reactor("reactor.netty.transport.TransportConnector", "doInitAndRegister",
                        named("doInitAndRegister").takes(4),
                        // doInitAndRegister(config, initializer, isDomainSocket, eventLoop): the returned promise's
                        // channel, registered and not yet connected, remembers this thread's call site; failing an
                        // application frame there, the client's: its configuration's connectionProvider field, read
                        // through this class's lookup (same package), once per new connection, never per request
                        Inline.exit("channelMade", "(" + O + O + "Ljava/lang/invoke/MethodHandles$Lookup;)V",
                                arg(0), RETURNED, CALLER_LOOKUP),
                        "the call sites that subscribed to a Reactor Netty request needing a new connection"));
    }

    private static HookPoint reactor(String className, String method, HookPoint.Match match, Inline inline,
                                  String covers) {
        return HookPoint.library("Reactor Netty", "reactor.netty", className, method, match, inline, covers);
    }
}
