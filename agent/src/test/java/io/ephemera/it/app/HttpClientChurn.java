package io.ephemera.it.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;

/**
 * The JDK's {@link HttpClient} against a JDK {@link HttpServer} on 127.0.0.1, two ways: one client
 * shared by {@value #SHARED} sequential requests ({@link #shared}), then a new client per request
 * ({@link #perRequest}), {@value #PER_REQUEST} requests, whose connections stay open and idle in
 * pools nothing reuses. Once the per-request requests are done it reads the agent's report
 * (re-read every 200 ms, at most 60 s, until it holds a churn finding naming {@code perRequest}),
 * prints it as {@code REPORT\t} lines, then the MXBean's dump.
 *
 * <p>The per-request requests run on {@value #THREADS} threads, started one every
 * {@value #PACE_MILLIS} ms: they last at least {@code 150 × 25 ms = 3.75 s} however fast the
 * machine (the verdict wants a rate sustained for 3 s, not a burst), and a slow request delays
 * only its own thread, so the rate over the agent's 10 s window stays above 10/s unless a
 * request takes more than a second or so.
 */
public final class HttpClientChurn {

    static final int SHARED = 300;
    static final int PER_REQUEST = 150;
    private static final int THREADS = 4;
    private static final long PACE_MILLIS = 25;

    /**
     * Every client made, reachable until the report is read: on JDK 21 and later an HttpClient that
     * becomes unreachable is shut down when the garbage collector finds it, closing its idle
     * connections, so a dropped client's connections would end at the GC's whim instead of piling
     * up as they do in an application that keeps its clients (or runs on JDK 17).
     */
    private static final List<HttpClient> CLIENTS = new ArrayList<>();

    private HttpClientChurn() {
    }

    public static void main(String[] args) throws Exception {
        if (!AuditDump.awaitRegistered(60_000)) {
            throw new IllegalStateException("the agent's MXBean was not registered within 60 s");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 200);
        server.createContext("/", HttpClientChurn::handle);
        server.setExecutor(Executors.newFixedThreadPool(THREADS));
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        try {
            long t0 = System.nanoTime();
            HttpClient client = HttpClient.newHttpClient();
            synchronized (CLIENTS) {
                CLIENTS.add(client);
            }
            for (int i = 0; i < SHARED; i++) {
                shared(client, uri);
            }
            System.out.println("shared\t" + SHARED + "\t" + (System.nanoTime() - t0) / 1_000_000 + " ms");

            long t1 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < PER_REQUEST; i++) {
                long wait = t1 + TimeUnit.MILLISECONDS.toNanos(i * PACE_MILLIS) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                done.add(pool.submit(() -> {
                    perRequest(uri);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            System.out.println("perRequest\t" + PER_REQUEST + "\t" + (System.nanoTime() - t1) / 1_000_000 + " ms");

            for (String line : awaitChurnOf("perRequest(").split("\n")) {
                System.out.println("REPORT\t" + line);
            }
            AuditDump.print(System.out);
            synchronized (CLIENTS) {
                System.out.println("clients\t" + CLIENTS.size()); // read last: every client reachable until here
            }
        } finally {
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    /** One request on the client every request shares: its pool keeps one connection and reuses it. */
    static void shared(HttpClient client, URI uri) throws IOException, InterruptedException {
        client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The mistake: a new client per request, whose connection stays open, idle, in a pool nothing reuses. */
    static void perRequest(URI uri) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        synchronized (CLIENTS) {
            CLIENTS.add(client);
        }
        client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void handle(HttpExchange ex) throws IOException {
        KeepAliveOk.respond(ex);
    }

    /** The agent's text report once it holds a churn finding naming {@code method}, or after 60 s. */
    private static String awaitChurnOf(String method) throws Exception {
        ObjectName name = new ObjectName(AuditDump.NAME);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String report = (String) ManagementFactory.getPlatformMBeanServer().invoke(name, "report", null, null);
            boolean found = report.lines().anyMatch(l -> l.startsWith("finding=churn ") && l.contains(method));
            if (found || System.nanoTime() - deadline > 0) {
                return report;
            }
            Thread.sleep(200);
        }
    }
}
