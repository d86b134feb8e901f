package io.ephemera.it.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * OkHttp (4 and 5: the API used here is common to both), run by OkHttpIT on each version, against
 * a JDK {@link HttpServer} on loopback: a shared client and a new {@code OkHttpClient} per request,
 * each with {@code execute()} and with {@code enqueue()}, each in its own method. The per-request
 * clients are never closed, the common mistake: their connections stay idle in their pools. Their
 * requests start {@value #PACE_MILLIS} ms apart ({@code execute()} on {@value #THREADS} threads).
 *
 * <p>The server counts its connections by the client's address: no client connection closes
 * before the count is read (idle connections are kept 10 minutes on both sides), so no port is
 * reused. After each per-request pattern it prints the site's verdict and the agent's report
 * ({@code verdict} and {@code report} lines); then what it counted ({@code expect} lines) and the
 * MXBean.
 */
public final class OkHttpClients {

    private static final String APP = "io.ephemera.it.app.OkHttpClients.";
    private static final int THREADS = 4;
    private static final long PACE_MILLIS = 25;
    private static final List<OkHttpClient> CLIENTS = new ArrayList<>();

    /** The server's connections, by the client's address: exact while none closes. */
    private final Set<SocketAddress> connections = ConcurrentHashMap.newKeySet();

    OkHttpClients() {
    }

    /** Arguments: requests of each per-request pattern, shared executes, shared enqueues. */
    public static void main(String[] args) throws Exception {
        int perRequest = Integer.parseInt(args[0]);
        int shared = Integer.parseInt(args[1]);
        int async = Integer.parseInt(args[2]);
        // the server keeps every idle connection (its defaults close them after 30 s, or beyond 200)
        System.setProperty("sun.net.httpserver.idleInterval", "600");
        System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
        System.setProperty("sun.net.httpserver.nodelay", "true"); // else each response waits for a delayed ACK
        if (!AuditDump.awaitRegistered(60_000)) {
            throw new IllegalStateException("the agent's MXBean was not registered within 60 s");
        }
        OkHttpClients server = new OkHttpClients();
        HttpServer http = server.start();
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/";
        System.out.println("port\t" + http.getAddress().getPort());

        int before = server.connections.size();
        sharedExecute(new OkHttpClient(), url, shared);
        before = server.expect("sharedExecute", before);
        sharedEnqueue(new OkHttpClient(), url, async);
        before = server.expect("sharedEnqueue", before);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < perRequest; i++) {
            pace(start, i);
            done.add(threads.submit(() -> {
                perRequestExecute(url);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();
        before = server.expect("perRequestExecute", before);
        verdict("perRequestExecute");
        perRequestEnqueue(url, perRequest);
        server.expect("perRequestEnqueue", before);
        verdict("perRequestEnqueue");

        System.out.println("expect\tconnects\t" + server.connections.size());
        System.out.println("expect\taccepts\t" + server.connections.size());
        // census passes after the last connect: the second and third began after it
        long after = System.currentTimeMillis();
        for (int i = 0; i < 3; i++) {
            after = AuditDump.awaitCensusPassAfter(after);
        }
        AuditDump.print(System.out);
        System.out.flush();
        http.stop(0);
        System.exit(0); // OkHttp's dispatcher threads are not daemons; the clients were never closed
    }

    /** One client for every request: one connection, reused. */
    static void sharedExecute(OkHttpClient client, String url, int requests) throws IOException {
        for (int i = 0; i < requests; i++) {
            try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
                read(response);
            }
        }
    }

    /** One client, asynchronous calls one after the other: one connection, reused. */
    static void sharedEnqueue(OkHttpClient client, String url, int requests) throws Exception {
        Replies replies = new Replies();
        for (int i = 0; i < requests; i++) {
            client.newCall(new Request.Builder().url(url).build()).enqueue(replies);
            replies.await();
        }
    }

    /**
     * The mistake: a new client per request, never closed. Each opens a connection of its own,
     * which stays idle in its pool.
     */
    static void perRequestExecute(String url) throws IOException {
        OkHttpClient client = kept(new OkHttpClient());
        try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
            read(response);
        }
    }

    /** The same mistake with asynchronous calls, paced like the others, all answered at the end. */
    static void perRequestEnqueue(String url, int requests) throws Exception {
        List<Replies> replies = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            pace(start, i);
            OkHttpClient client = kept(new OkHttpClient());
            Replies reply = new Replies();
            client.newCall(new Request.Builder().url(url).build()).enqueue(reply);
            replies.add(reply);
        }
        for (Replies reply : replies) {
            reply.await();
        }
    }

    /**
     * Request {@code i} of a per-request pattern starts {@value #PACE_MILLIS} ms after the one
     * before, however fast the machine: the pattern lasts seconds, a sustained rate (a verdict
     * is not made on a burst), and a slow request delays only its own thread.
     */
    private static void pace(long start, int i) throws InterruptedException {
        long wait = start + TimeUnit.MILLISECONDS.toNanos(i * PACE_MILLIS) - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Every per-request client stays reachable until the JVM exits, as an application's would. */
    private static OkHttpClient kept(OkHttpClient client) {
        synchronized (CLIENTS) {
            CLIENTS.add(client);
        }
        return client;
    }

    private static void read(Response response) throws IOException {
        if (!response.isSuccessful() || !response.body().string().equals("ok")) {
            throw new IOException("unexpected response " + response);
        }
    }

    /**
     * The answers of asynchronous calls, each read and closed on OkHttp's thread before the caller
     * goes on: its connection is back in the pool by then.
     */
    static final class Replies implements Callback {
        private final BlockingQueue<Object> done = new ArrayBlockingQueue<>(1);

        @Override
        public void onResponse(Call call, Response response) {
            Object outcome = "ok";
            try (Response r = response) {
                read(r);
            } catch (IOException e) {
                outcome = e;
            }
            done.add(outcome);
        }

        @Override
        public void onFailure(Call call, IOException e) {
            done.add(e);
        }

        void await() throws Exception {
            Object outcome = done.poll(60, TimeUnit.SECONDS);
            if (outcome instanceof Exception) {
                throw (Exception) outcome;
            }
            if (outcome == null) {
                throw new IllegalStateException("no response within 60 s");
            }
        }
    }

    /** Starts the server on loopback, on a port of its own. */
    HttpServer start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        http.createContext("/", this::handle);
        http.start();
        return http;
    }

    private void handle(HttpExchange ex) throws IOException {
        connections.add(ex.getRemoteAddress());
        KeepAliveOk.respond(ex);
    }

    /** Prints the connections the server saw during {@code method}; returns the count so far. */
    private int expect(String method, int before) {
        int now = connections.size();
        System.out.println("expect\t" + method + "\t" + (now - before));
        return now;
    }

    /**
     * The site's {@code churning} item and the agent's report, once the site is churning and the
     * report names it (re-read every 200 ms, at most 60 s): the verdict is made over the last 10
     * seconds, and this runs right after the pattern.
     */
    private static void verdict(String method) throws Exception {
        ObjectName name = new ObjectName(AuditDump.NAME);
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Object churning;
        String report;
        do {
            churning = null;
            for (Object o : ((TabularData) mbeans.getAttribute(name, "CallSites")).values()) {
                CompositeData row = (CompositeData) o;
                if (String.valueOf(row.get("key")).startsWith(APP + method + "(")) {
                    churning = ((CompositeData) row.get("value")).get("churning");
                }
            }
            report = (String) mbeans.invoke(name, "report", new Object[0], new String[0]);
            if (Boolean.TRUE.equals(churning) && report.contains("finding=churn site=" + APP + method + "(")) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() - deadline < 0);
        System.out.println("verdict\t" + method + "\t" + churning);
        System.out.println("report\t" + method + "\t" + report.replace("\\", "\\\\").replace("\n", "\\n")
                .replace("\t", "\\t"));
    }
}
