package io.ephemera.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * gRPC-java 1.85 with its shaded Netty (native epoll where it loads, and NIO), in a JVM whose class
 * path is the build's copy of it (target/grpc/VERSION): a channel connects on its own threads, yet
 * each connection is counted at the application method that built the channel.
 */
class GrpcIT {

    private static final int REQUESTS = 40;

    @ParameterizedTest(name = "gRPC on {0}")
    @ValueSource(strings = {"epoll", "nio"})
    void eachConnectionIsTheApplicationMethodsThatBuiltItsChannel(String transport) {
        ForkedJvm jvm = ForkedJvm.withAgent("census.interval=1s", "churn.rate=2/s")
                .classpath(LibraryPatterns.jars("ephemera.grpc.dir", "target/grpc/1.85.1"));
        if (transport.equals("nio")) {
            jvm.jvmArg("-Dio.grpc.netty.shaded.io.netty.transport.noNative=true");
        }
        ForkedJvm.Result r = jvm.run(180, "io.ephemera.it.app.GrpcClients", Integer.toString(REQUESTS));
        LibraryPatterns.assertPerRequestAndShared(r, "GrpcClients", "io.grpc.");
        Audit a = r.audit();
        for (String hook : new String[] {"io.grpc.internal.ManagedChannelImpl.<init>",
            "io.grpc.internal.ManagedChannelImpl$SubchannelImpl.start", "io.grpc.internal.InternalSubchannel.startNewTransport"}) {
            assertEquals("installed in io.grpc", a.rows("LibraryHooks").get(hook).get("value"), hook);
        }
        String connect = transport.equals("nio") ? "io.netty.channel.socket.nio.NioSocketChannel.doConnect"
                : "io.netty.channel.epoll.AbstractEpollChannel.doConnect";
        assertEquals("installed in io.grpc.netty.shaded.io.netty", a.rows("LibraryHooks").get(connect).get("value"));

        long neverShutDown = ConnectionsIT.expected(r, "neverShutDown");
        assertEquals(ConnectionsIT.expected(r, "neverShutDownCalls"), neverShutDown, "a connection per channel");
        assertEquals(Long.toString(neverShutDown), a.site(LibraryPatterns.APP + "GrpcClients.neverShutDown(").get("connects"));
        LibraryPatterns.assertFlaggedWhileOpenIdle(r, "neverShutDown"); // last: needs the churnopen branch
    }
}
