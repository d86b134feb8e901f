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
 * gRPC-java's channels. A {@code ManagedChannel} connects lazily, on its own threads (the channel's
 * synchronization context, then Netty's event loop), for whichever call found it idle: the call
 * site that matters is the one that built the channel (a channel per request is the classic
 * mistake). The channel remembers it when it is made (one walk per channel, none per call); each
 * of its subchannels takes it over; each new transport a subchannel starts runs on its behalf, so
 * the Netty channel it makes ({@code Bootstrap.register}, gRPC's Netty shaded or not) remembers it
 * and its event loop's connect is attributed to it.
 */
final class GrpcHooks {

    private GrpcHooks() {
    }

    static List<HookPoint> points() {
        String internal = "io.grpc.internal.";
        return List.of(
                grpc(internal + "ManagedChannelImpl", "<init>", isConstructor(),
                        ChannelBuilt.class, "the call sites that built a gRPC ManagedChannel"),
                grpc(internal + "ManagedChannelImpl$SubchannelImpl", "start",
                        named("start").and(takesArguments(1)),
                        SubchannelStarted.class, "gRPC subchannels, each with its channel's call site"),
                grpc(internal + "InternalSubchannel", "startNewTransport",
                        named("startNewTransport").and(takesArguments(0)),
                        TransportStarted.class, "gRPC connects attributed to the call site that built the channel"));
    }

    private static HookPoint grpc(String className, String method, ElementMatcher<? super MethodDescription> matcher,
                                  Class<?> advice, String covers) {
        return HookPoint.library("gRPC", "io.grpc", className, method, matcher, advice, covers);
    }

    /** {@code ManagedChannelImpl(...)}: made by {@code ManagedChannelBuilder.build()} on the thread that builds it. */
    static final class ChannelBuilt {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object channel) {
            Hook.intent(channel);
        }
    }

    /** {@code SubchannelImpl.start(listener)}: the {@code InternalSubchannel} it made takes its channel's call site. */
    static final class SubchannelStarted {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("this$0") Object channel, @Advice.FieldValue("subchannel") Object subchannel) {
            Hook.intentFollows(channel, subchannel);
        }
    }

    /** {@code InternalSubchannel.startNewTransport()}: the transport it starts connects on the channel's behalf. */
    static final class TransportStarted {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object subchannel) {
            return Hook.onBehalfBegin(subchannel);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Hook.onBehalfEnd(token);
        }
    }
}
