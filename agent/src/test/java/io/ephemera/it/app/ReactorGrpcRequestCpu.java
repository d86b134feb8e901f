package io.ephemera.it.app;

import com.sun.net.httpserver.HttpServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import reactor.netty.http.client.HttpClient;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Not a test: the process CPU time per pooled request (a shared client, its connection reused),
 * for comparing runs with and without the agent. {@code reactor|grpc WARMUP N}; prints
 * {@code cpuPerRequestMicros X}. The server runs in this JVM: its CPU is in both runs alike.
 */
public final class ReactorGrpcRequestCpu {

    private ReactorGrpcRequestCpu() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        Runnable request;
        AutoCloseable server;
        if (args[0].equals("reactor")) {
            // the JDK server writes headers and body apart: without TCP_NODELAY each kept-alive
            // request waits for a delayed ACK (40 ms), and the run measures the wait, not the client
            System.setProperty("sun.net.httpserver.nodelay", "true");
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
            http.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            http.start();
            server = () -> http.stop(0);
            HttpClient client = HttpClient.create();
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/";
            request = () -> client.get().uri(url).responseContent().aggregate().asString().block(Duration.ofSeconds(60));
        } else {
            Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(ServerServiceDefinition.builder("ephemera.Echo")
                            .addMethod(GrpcClients.SAY, ServerCalls.asyncUnaryCall((req, reply) -> {
                                reply.onNext(req);
                                reply.onCompleted();
                            })).build())
                    .build().start();
            server = grpc::shutdownNow;
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpc.getPort()).usePlaintext().build();
            request = () -> ClientCalls.blockingUnaryCall(channel, GrpcClients.SAY, io.grpc.CallOptions.DEFAULT, "x");
        }
        for (int i = 0; i < warmup; i++) {
            request.run();
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        for (int i = 0; i < n; i++) {
            request.run();
        }
        long used = os.getProcessCpuTime() - cpu;
        System.out.printf("cpuPerRequestMicros\t%.1f%n", used / 1000.0 / n);
        server.close();
        System.exit(0);
    }
}
