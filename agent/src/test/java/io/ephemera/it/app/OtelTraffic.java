package io.ephemera.it.app;

import com.sun.net.httpserver.HttpServer;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP traffic that the OpenTelemetry Java agent traces (its HttpURLConnection and HTTP server
 * instrumentation) and ephemera counts, run by OtelIT with both agents: {@code REQUESTS} requests,
 * each on a connection of its own ({@code Connection: close}), to a JDK {@code HttpServer} on
 * loopback. Prints how many connections the server saw (distinct client ports), then the MXBean.
 */
public final class OtelTraffic {

    static final int REQUESTS = 4;

    private OtelTraffic() {
    }

    public static void main(String[] args) throws Exception {
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] body = "ok".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            for (int i = 0; i < REQUESTS; i++) {
                request(port);
            }
            System.out.println("expect\tconnects\t" + REQUESTS);
            System.out.println("expect\taccepts\t" + clientPorts.size());
            if (AuditDump.awaitRegistered(60_000)) {
                AuditDump.print(System.out);
            }
        } finally {
            server.stop(0);
        }
    }

    /** One request on a connection of its own, read to the end. */
    static void request(int port) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/").openConnection();
        c.setRequestProperty("Connection", "close");
        try (InputStream in = c.getInputStream()) {
            in.readAllBytes();
        }
        c.disconnect();
    }
}
