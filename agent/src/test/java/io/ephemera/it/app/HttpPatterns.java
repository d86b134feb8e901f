package io.ephemera.it.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.management.ObjectName;

/**
 * An HTTP client's two patterns against a local {@link HttpServer}, for the handoff ITs: the shared
 * client(s) first, then a new client per request, each in its own method of the calling app. Prints
 * what the application counted ({@code expect} lines), then two snapshots: right after the requests
 * ({@code snapshot afterRequests}: the agent's report, one {@code report} line per line, and the
 * MXBean, while the per-request site's connect rate is current) and after three census passes
 * ({@code snapshot final}: the MXBean, with every socket the census saw).
 *
 * <p>The server counts each pattern's connections by the client's port, on a path of the
 * pattern's own ({@code expect NAME N}): the kernel hands out the ports toward one destination in
 * turn, so none comes back within a run this short. A shared client may open a second connection
 * when a request leases one before the previous request's is back in the pool.
 */
public final class HttpPatterns {

    /** The per-request pattern starts a request every 150 ms at the most: 30 take 4.5 s or more. */
    private static final long PACE_NANOS = 150_000_000L;


    /** Path → the client ports seen on it; guarded by this. */
    private final Map<String, Set<Integer>> ports = new HashMap<>();

    private HttpPatterns() {
    }

    /** One request with a client of its own. */
    public interface PerRequest {
        void request(URI uri) throws Exception;
    }

    /** {@code requests} requests with one client. */
    public interface SharedClient {
        void requests(URI uri, int requests) throws Exception;
    }

    /** A shared pattern and the name of its method. */
    public static final class Shared {
        final String name;
        final SharedClient pattern;

        private Shared(String name, SharedClient pattern) {
            this.name = name;
            this.pattern = pattern;
        }
    }

    public static Shared shared(String method, SharedClient pattern) {
        return new Shared(method, pattern);
    }

    /**
     * Runs each shared pattern with {@code requests} requests, then {@code requests} times the
     * per-request pattern (a connection each), and prints what follows.
     */
    public static void run(int requests, PerRequest perRequest, Shared... shared) throws Exception {
        HttpPatterns counter = new HttpPatterns();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.createContext("/", counter::handle);
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            System.out.println("port\t" + server.getAddress().getPort());
            for (Shared s : shared) {
                s.pattern.requests(URI.create(base + s.name), requests);
            }
            URI uri = URI.create(base + "perRequest");
            long start = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                // paced: a sustained rate, as a service's traffic is, not one burst (a burst shorter than
                // a few seconds is a pool filling up, never churn); later when the machine is slower
                long due = start + i * PACE_NANOS;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                perRequest.request(uri);
            }
            int accepts = 0;
            for (Map.Entry<String, Integer> e : counter.connections().entrySet()) {
                System.out.println("expect\t" + e.getKey() + "\t" + e.getValue());
                accepts += e.getValue();
            }
            System.out.println("expect\taccepts\t" + accepts);
            snapshots();
        } finally {
            server.stop(0);
        }
    }

    private static void snapshots() throws Exception {
        if (!AuditDump.awaitRegistered(60_000)) {
            throw new IllegalStateException("the agent's MXBean was not registered within 60 s");
        }
        System.out.println("snapshot\tafterRequests");
        String report = (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(new ObjectName(AuditDump.NAME), "report", null, null);
        report.lines().forEach(l -> System.out.println("report\t" + l));
        AuditDump.print(System.out);
        long after = System.currentTimeMillis();
        for (int i = 0; i < 3; i++) {
            after = AuditDump.awaitCensusPassAfter(after);
        }
        System.out.println("snapshot\tfinal");
        AuditDump.print(System.out);
    }

    private synchronized Map<String, Integer> connections() {
        Map<String, Integer> out = new TreeMap<>();
        ports.forEach((path, seen) -> out.put(path, seen.size()));
        return out;
    }

    private void handle(HttpExchange ex) throws IOException {
        synchronized (this) {
            ports.computeIfAbsent(ex.getRequestURI().getPath().substring(1), k -> new HashSet<>())
                    .add(ex.getRemoteAddress().getPort());
        }
        KeepAliveOk.respond(ex);
    }
}
