package io.ephemera.agent;

import io.ephemera.hook.Hook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

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
                        isConstructor().and(takesArguments(1)),
                        ClientBuilt.class, "the call sites that built an HttpClient, for its connections made off "
                                + "the application's threads"),
                reactor("reactor.netty.transport.TransportConnector", "doInitAndRegister",
                        named("doInitAndRegister").and(takesArguments(4)),
                        ChannelMade.class, "the call sites that subscribed to a Reactor Netty request needing a "
                                + "new connection"));
    }

    private static HookPoint reactor(String className, String method, ElementMatcher<? super MethodDescription> matcher,
                                     Class<?> advice, String covers) {
        return HookPoint.library("Reactor Netty", "reactor.netty", className, method, matcher, advice, covers);
    }

    /**
     * {@code HttpConnectionProvider(ConnectionProvider)}: made by {@code HttpClient.create()},
     * {@code create(ConnectionProvider)} and {@code newConnection()} on the thread that builds the client.
     */
    static final class ClientBuilt {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object provider) {
            Hook.intent(provider);
        }
    }

    /**
     * {@code TransportConnector.doInitAndRegister(config, initializer, isDomainSocket, eventLoop)}: the
     * returned promise's channel, registered and not yet connected, remembers this thread's call
     * site; failing an application frame here, the call site that built the client: the client
     * configuration's {@code connectionProvider} field, read by reflection from this class's own
     * package (once per new connection, never per request).
     */
    static final class ChannelMade {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object config, @Advice.Return Object promise) throws Exception {
            for (Class<?> c = config.getClass(); c != null; c = c.getSuperclass()) {
                if (c.getName().endsWith(".transport.ClientTransportConfig")) { // not a server's bind
                    Object channel = promise.getClass().getMethod("channel").invoke(promise);
                    Hook.intent(channel);
                    // kept only when the walk found no application frame: putIfAbsent
                    Hook.intentFollows(c.getDeclaredField("connectionProvider").get(config), channel);
                    return;
                }
            }
        }
    }
}
