package io.ephemera.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP backend on the JDK's own server. Each endpoint calls the downstream price service
 * in a different way:
 * <ul>
 *   <li>{@code /pooled}: through one shared keep-alive client (the right way);</li>
 *   <li>{@code /churn}: a new connection per request (the mistake);</li>
 *   <li>{@code /leak}: a connection opened and dropped without close;</li>
 *   <li>{@code /health}: no downstream call.</li>
 * </ul>
 */
final class Backend implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Backend.class);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16, Threads.named("backend"));
    private final PooledPriceClient pooled;
    private final ChurningPriceClient churning;
    private final LeakyStockClient leaky;

    Backend(int port, int downstreamPort) throws IOException {
        pooled = new PooledPriceClient(downstreamPort);
        churning = new ChurningPriceClient(downstreamPort);
        leaky = new LeakyStockClient(downstreamPort);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        server.createContext("/pooled", handler(() -> pooled.price()));
        server.createContext("/churn", handler(() -> churning.price()));
        server.createContext("/leak", handler(() -> {
            leaky.ping();
            return "{\"stock\":\"unknown\"}\n";
        }));
        server.createContext("/health", handler(() -> "{\"status\":\"up\"}\n"));
        server.setExecutor(executor);
        server.start();
        LOG.info("backend listening on {} (/pooled /churn /leak /health), downstream on :{}", server.getAddress(),
                downstreamPort);
    }

    int port() {
        return server.getAddress().getPort();
    }

    interface Call {
        String run() throws Exception;
    }

    private static HttpHandler handler(Call call) {
        return exchange -> {
            try {
                respond(exchange, 200, call.run());
            } catch (Exception e) {
                LOG.warn("{} failed: {}", exchange.getRequestURI().getPath(), e.toString());
                respond(exchange, 502, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}\n");
            }
        };
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
