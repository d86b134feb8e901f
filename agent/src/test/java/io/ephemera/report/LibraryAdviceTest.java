package io.ephemera.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library mistake the advice names, from the stack text a call site has: the application's
 * identifying frames (with the library frames it went through), and, where a library's own thread
 * made the connect, a separator line and that thread's frames.
 */
class LibraryAdviceTest {

    private static String stack(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    private static void assertHint(String expectedStart, String mustContain, String stack) {
        String hint = Advice.libraryHint(stack);
        assertTrue(hint.startsWith(expectedStart), hint);
        assertTrue(hint.contains(mustContain), hint);
    }

    @Test
    void okHttp() {
        assertHint("a new OkHttpClient() per call", "share one client", stack(
                "java.net.Socket.connect(Socket.java:633)",
                "okhttp3.internal.platform.Platform.connectSocket(Platform.kt:128)",
                "okhttp3.internal.connection.RealConnection.connectSocket(RealConnection.kt:295)",
                "okhttp3.internal.connection.RealCall.execute(RealCall.kt:154)",
                "com.acme.Billing.charge(Billing.java:42)"));
    }

    @Test
    void apacheHttpClient5() {
        assertHint("Apache HttpClient 5: HttpClients.createDefault()", "EntityUtils.consume", stack(
                "java.net.Socket.connect(Socket.java:633)",
                "org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator.connect(DefaultHttpClientConnectionOperator.java:168)",
                "org.apache.hc.client5.http.impl.classic.CloseableHttpClient.execute(CloseableHttpClient.java:97)",
                "com.acme.Billing.charge(Billing.java:42)"));
    }

    @Test
    void apacheHttpClient4KeepsItsOwnAdvice() {
        assertHint("a new Apache HttpClient per call", "close each response", stack(
                "org.apache.http.impl.conn.DefaultHttpClientConnectionOperator.connect(DefaultHttpClientConnectionOperator.java:142)",
                "com.acme.Billing.charge(Billing.java:42)"));
    }

    @Test
    void jdkHttpClient() {
        assertHint("java.net.http.HttpClient.newHttpClient()", "build one client and share it", stack(
                "sun.nio.ch.SocketChannelImpl.connect(SocketChannelImpl.java:855)",
                "jdk.internal.net.http.PlainHttpConnection.connectAsync(PlainHttpConnection.java:210)",
                "jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:573)",
                "jdk.internal.net.http.HttpClientFacade.send(HttpClientFacade.java:123)",
                "com.acme.Billing.charge(Billing.java:42)"));
    }

    @Test
    void reactorNettyOverTheNettyItRunsOn() {
        assertHint("a Reactor Netty HttpClient on HttpClient.newConnection()", "default pooled provider", stack(
                "reactor.netty.resources.PooledConnectionProvider.acquire(PooledConnectionProvider.java:133)",
                "reactor.netty.http.client.HttpClientConnect$MonoHttpConnect.subscribe(HttpClientConnect.java:276)",
                "com.acme.Billing.charge(Billing.java:42)",
                "--- connected on thread reactor-http-epoll-2 ---",
                "io.netty.channel.epoll.AbstractEpollChannel.doConnect(AbstractEpollChannel.java:730)",
                "io.netty.channel.epoll.EpollEventLoop.run(EpollEventLoop.java:413)"));
    }

    @Test
    void grpcOverItsShadedNetty() {
        assertHint("a gRPC channel built per call (ManagedChannelBuilder...build())", "shutdown()", stack(
                "io.grpc.internal.ManagedChannelImpl$ChannelStreamProvider.newStream(ManagedChannelImpl.java:543)",
                "io.grpc.stub.ClientCalls.blockingUnaryCall(ClientCalls.java:166)",
                "com.acme.Billing.charge(Billing.java:42)",
                "--- connected on thread grpc-default-worker-ELG-1-1 ---",
                "io.grpc.netty.shaded.io.netty.channel.epoll.AbstractEpollChannel.doConnect(AbstractEpollChannel.java:730)",
                "io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoop.run(EpollEventLoop.java:413)"));
    }

    @Test
    void grpcFromTheEventLoopAloneIsStillGrpc() {
        // only the shaded event loop's frames: the shading names the library
        assertHint("a gRPC channel", "reuse it for every call", stack(
                "io.grpc.netty.shaded.io.netty.channel.epoll.AbstractEpollChannel.doConnect(AbstractEpollChannel.java:730)",
                "io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoop.run(EpollEventLoop.java:413)"));
    }

    @Test
    void plainNettyAndAShadedCopyOfIt() {
        String netty = "a Netty Bootstrap.connect() per message";
        assertHint(netty, "keep the channel open", stack(
                "io.netty.bootstrap.Bootstrap.connect(Bootstrap.java:123)",
                "com.acme.Telemetry.send(Telemetry.java:42)"));
        assertHint(netty, "keep the channel open", stack(
                "com.acme.shaded.io.netty.bootstrap.Bootstrap.connect(Bootstrap.java:123)",
                "com.acme.Telemetry.send(Telemetry.java:42)"));
    }

    @Test
    void theFramesTheApplicationCalledWinOverTheConnectingThreads() {
        // the application called OkHttp; the connect ran on a thread whose frames are Netty's
        assertHint("a new OkHttpClient() per call", "share one client", stack(
                "okhttp3.internal.connection.RealCall.execute(RealCall.kt:154)",
                "com.acme.Billing.charge(Billing.java:42)",
                "--- connected on thread io-worker-1 ---",
                "io.netty.channel.nio.NioEventLoop.run(NioEventLoop.java:569)"));
    }

    @Test
    void theConnectingThreadNamesTheLibraryWhenTheApplicationsFramesDoNot() {
        assertHint("a Netty Bootstrap.connect() per message", "keep the channel open", stack(
                "com.acme.Telemetry.send(Telemetry.java:42)",
                "--- connected on thread nioEventLoopGroup-2-1 ---",
                "io.netty.channel.nio.NioEventLoop.run(NioEventLoop.java:569)"));
    }

    @Test
    void theSeparatorsThreadNameIsNotAFrame() {
        assertEquals("", Advice.libraryHint(stack(
                "com.acme.Telemetry.send(Telemetry.java:42)",
                "--- connected on thread okhttp3.reactor.netty.io.grpc.io.netty. ---",
                "com.acme.Worker.run(Worker.java:7)")));
    }

    @Test
    void noLibraryNoHintAndNothingThrows() {
        assertEquals("", Advice.libraryHint(stack("java.net.Socket.connect(Socket.java:633)",
                "com.acme.Billing.charge(Billing.java:42)")));
        assertEquals("", Advice.libraryHint(null));
        assertEquals("", Advice.libraryHint(""));
        assertEquals("", Advice.libraryHint("--- connected on thread x ---"));
        assertEquals("", Advice.libraryHint("\n--- connected on thread x ---"));
    }

    @Test
    void theChurnAdviceAndThePilingUpAdviceBothNameTheMistake() {
        String okhttp = stack("okhttp3.internal.connection.RealCall.execute(RealCall.kt:154)",
                "com.acme.Billing.charge(Billing.java:42)");
        io.ephemera.kernel.KernelView none = new io.ephemera.kernel.Census(java.nio.file.Path.of("/nonexistent-proc-root"),
                1_000, null, line -> { }).scan();
        String churn = Advice.churn(okhttp, none, null, false);
        assertTrue(churn.startsWith("reuse connections") && churn.contains("a new OkHttpClient() per call"), churn);
        String piling = Advice.pilingUpOpen(okhttp, none, 150, 140);
        assertTrue(piling.startsWith("share one client and reuse its connections"), piling);
        assertTrue(piling.contains("150 open now, 140 more than 10s ago"), piling);
        assertTrue(piling.contains("a new OkHttpClient() per call"), piling);
        assertTrue(piling.endsWith("buys headroom, not a cure"), piling);
        assertEquals("piling up open: 150 open now, growing", Advice.pilingUp(150));
    }
}
