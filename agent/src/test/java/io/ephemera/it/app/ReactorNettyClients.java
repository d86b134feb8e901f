package io.ephemera.it.app;

import com.sun.net.httpserver.HttpServer;
import io.netty.channel.epoll.Epoll;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reactor Netty's HTTP client against a JDK HttpServer on loopback, run by ReactorNettyIT on
 * native epoll or NIO ({@code -Dreactor.netty.native=false}): a client without a pool per request
 * ({@code HttpClient.newConnection()}), the default pooled client shared by every request, and a
 * pooled client whose requests are subscribed on a scheduler's thread. The server counts the
 * connections that carried a request (distinct peer addresses); each pattern prints what it cost
 * ({@code expect} lines), the agent's verdict on its call site right after it, then the MXBean.
 */
public final class ReactorNettyClients {

    private static final Set<InetSocketAddress> peers = ConcurrentHashMap.newKeySet();

    private ReactorNettyClients() {
    }

    public static void main(String[] args) throws Exception {
        String transport = args[0];
        int requests = Integer.parseInt(args[1]);
        if (transport.equals("epoll") && !Epoll.isAvailable()) {
            System.out.println("unavailable\t" + Epoll.unavailabilityCause());
            return;
        }
        if (!AuditDump.awaitRegistered(60_000)) {
            throw new IllegalStateException("the agent's MXBean was not registered within 60 s");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.createContext("/", exchange -> {
            peers.add(exchange.getRemoteAddress());
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        System.out.println("port\t" + server.getAddress().getPort());
        String app = ReactorNettyClients.class.getName() + ".";
        try {
            int before = peers.size();
            int n = 0;
            // at least `requests`, then on until the agent calls the site churning (its verdict
            // looks at the last 10 s: a slow machine needs more requests, never a timed wait)
            while (n < requests || n < 50 * requests && !SiteVerdicts.churning(app + "perRequest(")) {
                perRequest(url);
                n++;
            }
            System.out.println("expect\tperRequest\t" + (peers.size() - before));
            System.out.println("expect\tperRequestCalls\t" + n);
            SiteVerdicts.print(System.out, "perRequest", app + "perRequest(");
            SiteVerdicts.printReport(System.out);

            before = peers.size();
            shared(url, 3 * requests);
            System.out.println("expect\tshared\t" + (peers.size() - before));
            SiteVerdicts.print(System.out, "shared", app + "shared(");
            SiteVerdicts.printUnseenWhileOpen(System.out); // the shared connection is still in the pool

            before = peers.size();
            ConnectionProvider provider = ConnectionProvider.create("scheduled", 1);
            HttpClient scheduledClient = buildScheduledClient(provider);
            for (int i = 0; i < requests; i++) {
                onScheduler(scheduledClient, url);
            }
            System.out.println("expect\tscheduled\t" + (peers.size() - before));
            provider.disposeLater().block(Duration.ofSeconds(60));
        } finally {
            try {
                HttpResources.disposeLoopsAndConnectionsLater(Duration.ZERO, Duration.ofSeconds(30))
                        .block(Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                // a pool may still close a connection on a loop that has just terminated (seen beside
                // the OpenTelemetry agent): the shutdown is not what is tested, and must not hang the JVM
                System.err.println("shutdown: " + e);
            }
        }
        try {
            System.out.println("expect\taccepts\t" + peers.size());
            AuditDump.print(System.out);
        } finally {
            server.stop(0);
        }
    }

    /** The mistake: a client without a pool, so each request opens (and closes) a connection. */
    static void perRequest(String url) {
        String body = HttpClient.newConnection().get().uri(url).responseContent().aggregate().asString()
                .block(Duration.ofSeconds(60));
        check(body);
    }

    /** The default pooled client, one for every request: one kept-alive connection. */
    static void shared(String url, int requests) {
        HttpClient client = HttpClient.create();
        for (int i = 0; i < requests; i++) {
            check(client.get().uri(url).responseContent().aggregate().asString().block(Duration.ofSeconds(60)));
        }
    }

    /** A pooled client built here, whose requests are subscribed on a scheduler's thread: its connection is this method's. */
    static HttpClient buildScheduledClient(ConnectionProvider provider) {
        return HttpClient.create(provider);
    }

    /** Subscribes on a bounded-elastic thread: no application frame is on the stack that connects. */
    static void onScheduler(HttpClient client, String url) {
        Mono<String> request = client.get().uri(url).responseContent().aggregate().asString();
        check(request.subscribeOn(Schedulers.boundedElastic()).block(Duration.ofSeconds(60)));
    }

    private static void check(String body) {
        if (!"ok".equals(body)) {
            throw new IllegalStateException("unexpected response: " + body);
        }
    }
}
