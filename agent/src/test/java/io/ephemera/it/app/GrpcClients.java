package io.ephemera.it.app;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * gRPC-java with its shaded Netty against a gRPC server in this JVM on loopback (a unary echo
 * method defined by hand, no generated code), run by GrpcIT: a channel built per request (one call,
 * then {@code shutdown()}), one channel shared by every call, and a channel per request never shut down. The server counts the transports
 * it accepted; each pattern prints what it cost ({@code expect} lines) and the agent's verdict on
 * its call site right after it, then the MXBean.
 */
public final class GrpcClients {

    static final MethodDescriptor<String, String> SAY = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("ephemera.Echo", "Say"))
            .setRequestMarshaller(new Utf8())
            .setResponseMarshaller(new Utf8())
            .build();

    private static final AtomicInteger accepted = new AtomicInteger();

    private GrpcClients() {
    }

    public static void main(String[] args) throws Exception {
        int requests = Integer.parseInt(args[0]);
        if (!AuditDump.awaitRegistered(60_000)) {
            throw new IllegalStateException("the agent's MXBean was not registered within 60 s");
        }
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerServiceDefinition.builder("ephemera.Echo")
                        .addMethod(SAY, ServerCalls.asyncUnaryCall((request, reply) -> {
                            reply.onNext(request);
                            reply.onCompleted();
                        }))
                        .build())
                .addTransportFilter(new ServerTransportFilter() {
                    @Override
                    public Attributes transportReady(Attributes transportAttrs) {
                        accepted.incrementAndGet();
                        return transportAttrs;
                    }
                })
                .build().start();
        int port = server.getPort();
        System.out.println("port\t" + port);
        String app = GrpcClients.class.getName() + ".";
        try {
            int before = accepted.get();
            int n = 0;
            // at least `requests`, then on until the agent calls the site churning (its verdict
            // looks at the last 10 s: a slow machine needs more requests, never a timed wait)
            while (n < requests || n < 50 * requests && !SiteVerdicts.churning(app + "perRequest(")) {
                perRequest(port);
                n++;
            }
            System.out.println("expect\tperRequest\t" + (accepted.get() - before));
            System.out.println("expect\tperRequestCalls\t" + n);
            SiteVerdicts.print(System.out, "perRequest", app + "perRequest(");
            SiteVerdicts.printReport(System.out);

            before = accepted.get();
            ManagedChannel channel = shared(port, 3 * requests);
            System.out.println("expect\tshared\t" + (accepted.get() - before));
            SiteVerdicts.print(System.out, "shared", app + "shared(");
            SiteVerdicts.printUnseenWhileOpen(System.out); // the shared channel's connection is still open
            close(channel);

            before = accepted.get();
            java.util.List<ManagedChannel> leaked = new java.util.ArrayList<>();
            // paced (10 a second at the most) so that they are sustained, not a pool's burst; at least
            // `requests`, then on until the agent flags the site: a slow machine needs more, never a timed wait
            while (leaked.size() < requests
                    || leaked.size() < 5 * requests && !SiteVerdicts.churning(app + "neverShutDown(")) {
                leaked.add(neverShutDown(port));
                Thread.sleep(100);
            }
            System.out.println("expect\tneverShutDownCalls\t" + leaked.size());
            System.out.println("expect\tneverShutDown\t" + (accepted.get() - before));
            SiteVerdicts.print(System.out, "neverShutDown", app + "neverShutDown(");
            for (ManagedChannel c : leaked) {
                close(c);
            }
        } finally {
            server.shutdown();
            server.awaitTermination(60, TimeUnit.SECONDS);
        }
        System.out.println("expect\taccepts\t" + accepted.get());
        AuditDump.print(System.out);
    }

    /** The mistake: a channel per request, built, used once and shut down: a connection per request. */
    static void perRequest(int port) throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        say(channel);
        close(channel);
    }

    /** The same mistake, the channel never shut down: its connection stays open and idle. */
    static ManagedChannel neverShutDown(int port) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        say(channel);
        return channel;
    }

    /** One channel for every call: one connection. */
    static ManagedChannel shared(int port, int calls) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        for (int i = 0; i < calls; i++) {
            say(channel);
        }
        return channel;
    }

    private static void say(ManagedChannel channel) {
        String reply = ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), "x");
        if (!"x".equals(reply)) {
            throw new IllegalStateException("unexpected reply: " + reply);
        }
    }

    private static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdown();
        if (!channel.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the channel did not terminate within 60 s");
        }
    }

    /** Strings as UTF-8 bytes: a marshaller without protobuf. */
    static final class Utf8 implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
