package io.ephemera.agent;

import io.ephemera.agent.Weaver.Inline;

import java.util.List;

import static io.ephemera.agent.HookPoint.constructor;
import static io.ephemera.agent.HookPoint.named;
import static io.ephemera.agent.Weaver.O;
import static io.ephemera.agent.Weaver.Value.SELF;
import static io.ephemera.agent.Weaver.Value.field;

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
                grpc(internal + "ManagedChannelImpl", "<init>", constructor(),
                        // made by ManagedChannelBuilder.build() on the thread that builds it
                        Inline.exit("intent", "(" + O + ")V", SELF),
                        "the call sites that built a gRPC ManagedChannel"),
                grpc(internal + "ManagedChannelImpl$SubchannelImpl", "start",
                        named("start").takes(1),
                        // start(listener): the InternalSubchannel it made takes its channel's call site
                        Inline.exit("intentFollows", "(" + O + O + ")V", field("this$0"), field("subchannel")),
                        "gRPC subchannels, each with its channel's call site"),
                grpc(internal + "InternalSubchannel", "startNewTransport",
                        named("startNewTransport").takes(0),
                        // the transport it starts connects on the channel's behalf
                        Inline.onBehalfOf(SELF),
                        "gRPC connects attributed to the call site that built the channel"));
    }

    private static HookPoint grpc(String className, String method, HookPoint.Match match, Inline inline,
                                  String covers) {
        return HookPoint.library("gRPC", "io.grpc", className, method, match, inline, covers);
    }
}
