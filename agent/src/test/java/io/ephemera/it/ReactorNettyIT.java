package io.ephemera.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Reactor Netty 1.3 on Netty 4.2 (native epoll, and NIO), in a JVM whose class path is the build's
 * copy of it (target/reactor-netty/VERSION): its client connects on the event loop, yet each
 * connection is counted at the application method that subscribed, or that built the client when a
 * scheduler's thread subscribed.
 */
class ReactorNettyIT {

    private static final int REQUESTS = 40;

    @ParameterizedTest(name = "Reactor Netty on {0}")
    @ValueSource(strings = {"epoll", "nio"})
    void eachConnectionIsTheApplicationMethodsThatAskedForIt(String transport) {
        ForkedJvm jvm = ForkedJvm.withAgent("census.interval=1s", "churn.rate=2/s")
                .classpath(LibraryPatterns.jars("ephemera.reactor-netty.dir", "target/reactor-netty/1.3.7"));
        if (transport.equals("nio")) {
            jvm.jvmArg("-Dreactor.netty.native=false");
        }
        ForkedJvm.Result r = jvm.run(180, "io.ephemera.it.app.ReactorNettyClients", transport, Integer.toString(REQUESTS));
        assumeFalse(r.out.startsWith("unavailable\t"), () -> "epoll cannot run here: " + r.out);
        LibraryPatterns.assertPerRequestAndShared(r, "ReactorNettyClients", "reactor.netty.");

        Audit a = r.audit();
        long scheduled = ConnectionsIT.expected(r, "scheduled");
        assertEquals(1, scheduled, "one pooled connection, the pool holding one");
        Map<String, String> built = a.site(LibraryPatterns.APP + "ReactorNettyClients.buildScheduledClient(");
        assertEquals("1", built.get("connects"), "subscribed on a scheduler's thread: the site that built the client");
        LibraryPatterns.assertHandedOff(built, "ReactorNettyClients.buildScheduledClient(", "reactor.netty.");
        String used = transport.equals("nio") ? "NioSocketChannel.doConnect" : "AbstractEpollChannel.doConnect";
        assertEquals("installed in io.netty", a.rows("LibraryHooks").get("io.netty.channel."
                + (transport.equals("nio") ? "socket.nio." : "epoll.") + used).get("value"));
        for (String hook : new String[] {"reactor.netty.http.client.HttpConnectionProvider.<init>(ConnectionProvider)",
            "reactor.netty.transport.TransportConnector.doInitAndRegister"}) {
            assertEquals("installed in reactor.netty", a.rows("LibraryHooks").get(hook).get("value"), hook);
        }
    }
}
