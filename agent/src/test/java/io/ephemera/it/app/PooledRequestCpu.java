package io.ephemera.it.app;

import com.sun.net.httpserver.HttpServer;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Not a test: the process CPU time per pooled request (a shared client, its connection reused)
 * through one client, for comparing runs with and without the agent. Runs {@code warmup} requests,
 * then {@code n}, and prints {@code cpu_ns_per_request=...}; the local server's work is included.
 * Usage: {@code PooledRequestCpu jdk-async|jdk-send|apache-classic|apache-async N WARMUP}.
 */
public final class PooledRequestCpu {

    private PooledRequestCpu() {
    }

    interface Client extends AutoCloseable {
        void request() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String which = args[0];
        int n = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        byte[] body = "ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Keep-Alive", "timeout=600");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        try (Client client = client(which, uri)) {
            for (int i = 0; i < warmup; i++) {
                client.request();
            }
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu = os.getProcessCpuTime();
            long wall = System.nanoTime();
            for (int i = 0; i < n; i++) {
                client.request();
            }
            cpu = os.getProcessCpuTime() - cpu;
            wall = System.nanoTime() - wall;
            System.out.printf("%s cpu_ns_per_request=%d wall_ns_per_request=%d%n", which, cpu / n, wall / n);
        } finally {
            server.stop(0);
        }
    }

    private static Client client(String which, URI uri) {
        switch (which) {
            case "jdk-async":
            case "jdk-send": {
                HttpClient c = HttpClient.newHttpClient();
                HttpRequest r = HttpRequest.newBuilder(uri).build();
                boolean async = which.equals("jdk-async");
                return new Client() {
                    @Override
                    public void request() throws Exception {
                        if (async) {
                            c.sendAsync(r, HttpResponse.BodyHandlers.ofString()).join();
                        } else {
                            c.send(r, HttpResponse.BodyHandlers.ofString());
                        }
                    }

                    @Override
                    public void close() {
                    }
                };
            }
            case "apache-classic": {
                CloseableHttpClient c = HttpClients.createDefault();
                return new Client() {
                    @Override
                    public void request() throws Exception {
                        c.execute(new HttpGet(uri), response -> EntityUtils.toString(response.getEntity()));
                    }

                    @Override
                    public void close() throws Exception {
                        c.close();
                    }
                };
            }
            case "apache-async": {
                CloseableHttpAsyncClient c = HttpAsyncClients.createDefault();
                c.start();
                return new Client() {
                    @Override
                    public void request() throws Exception {
                        c.execute(SimpleRequestBuilder.get(uri).build(), null).get();
                    }

                    @Override
                    public void close() throws Exception {
                        c.close();
                    }
                };
            }
            default:
                throw new IllegalArgumentException(which);
        }
    }
}
