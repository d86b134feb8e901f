package io.ephemera.sample;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The sample backend.
 * <pre>
 *   demo [--requests N] [--haproxy server-close|keep-alive|none]
 *                                          start everything (HAProxy in front when installed), put a short
 *                                          load on each endpoint, print what the agent found
 *   serve [--port P]                       run the backend (and its downstream) until stopped
 *   --load URL [--requests N] [--rate R] [--concurrency C] a bounded load that stops by itself
 * </pre>
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // the JDK's HTTP server writes headers and body separately: without TCP_NODELAY each
        // response waits on a delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
        List<String> a = List.of(args);
        String command = a.isEmpty() ? "demo" : a.get(0);
        switch (command) {
            case "demo":
                demo(intOption(a, "--requests", 300), stringOption(a, "--haproxy", "server-close"));
                break;
            case "serve":
                serve(intOption(a, "--port", 8080));
                break;
            case "--load":
            case "load":
                if (a.size() < 2) {
                    usage();
                    return;
                }
                Load result = Load.run(URI.create(a.get(1)), intOption(a, "--requests", 1000),
                        doubleOption(a, "--rate", 100), intOption(a, "--concurrency", 4));
                System.out.println("load: " + result);
                break;
            default:
                usage();
        }
    }

    private static void demo(int requests, String proxyMode) throws Exception {
        try (Downstream downstream = new Downstream(); Backend backend = new Backend(0, downstream.port());
             Haproxy proxy = proxy(proxyMode, backend.port())) {
            System.out.printf(Locale.ROOT, "backend on 127.0.0.1:%d, downstream on 127.0.0.1:%d%n", backend.port(),
                    downstream.port());
            int port = backend.port();
            if (proxy != null) {
                port = proxy.port();
                System.out.printf(Locale.ROOT, "%s in front on 127.0.0.1:%d (%s), connecting to the backend from %s%n",
                        proxy.version(), proxy.port(), proxy.mode().options.replace("\n   ", ","),
                        Haproxy.SOURCE);
            } else if (!proxyMode.equals("none")) {
                System.out.println("HAProxy is not installed (apt-get install haproxy): the load goes straight to the backend");
            }
            long start = System.nanoTime();
            int sent = 0;
            // /churn last: a churn finding is about the last 10 seconds, and the report follows the load
            for (String path : List.of("/health", "/pooled", "/leak", "/churn")) {
                int n = path.equals("/leak") ? 20 : requests;
                Load load = Load.run(URI.create("http://127.0.0.1:" + port + path), n, 200, 4);
                sent += n;
                System.out.printf(Locale.ROOT, "%-8s %s%n", path, load);
            }
            AgentView.awaitLeaks(20); // the sockets /leak dropped, noticed after a garbage collection
            AgentView.awaitCensusAfterNow(); // the kernel's view of what the last requests left
            System.out.println();
            AgentView.print(System.out);
            if (proxy != null) {
                System.out.println();
                System.out.printf(Locale.ROOT, "HAProxy's own count: %d connections to the backend for %d requests in %.0f s%n",
                        proxy.backendConnections(), sent, (System.nanoTime() - start) / 1e9);
            }
            System.out.printf(Locale.ROOT, "The kernel's own count: %d TIME_WAIT sockets on the backend's port :%d%n",
                    TimeWait.onLocalPort(backend.port()), backend.port());
            System.out.println();
            System.out.println("Findings (the agent's report; also in " + logFile() + " under io.ephemera.report):");
            AgentView.printReport(System.out);
        }
    }

    /** HAProxy in front of the backend, or null when asked for none or it is not installed. */
    private static Haproxy proxy(String mode, int backendPort) throws Exception {
        Haproxy.Mode m = mode.equals("none") ? null : Haproxy.Mode.of(mode);
        java.nio.file.Path executable = Haproxy.find();
        if (m == null || executable == null) {
            return null;
        }
        try {
            return Haproxy.start(executable, m, backendPort);
        } catch (IOException e) {
            System.out.println(e.getMessage() + ": the load goes straight to the backend");
            return null;
        }
    }

    private static void serve(int port) throws Exception {
        Downstream downstream = new Downstream();
        Backend backend = new Backend(port, downstream.port());
        System.out.printf(Locale.ROOT, "backend on 127.0.0.1:%d (/pooled /churn /leak /health)%n", backend.port());
        Thread.currentThread().join();
    }

    private static String logFile() {
        return java.nio.file.Path.of(System.getProperty("sample.log", "sample-app.log")).toAbsolutePath().toString();
    }

    private static int intOption(List<String> a, String name, int fallback) {
        int i = a.indexOf(name);
        return i >= 0 && i + 1 < a.size() ? Integer.parseInt(a.get(i + 1)) : fallback;
    }

    private static String stringOption(List<String> a, String name, String fallback) {
        int i = a.indexOf(name);
        return i >= 0 && i + 1 < a.size() ? a.get(i + 1) : fallback;
    }

    private static double doubleOption(List<String> a, String name, double fallback) {
        int i = a.indexOf(name);
        return i >= 0 && i + 1 < a.size() ? Double.parseDouble(a.get(i + 1)) : fallback;
    }

    private static void usage() {
        System.err.println("usage: demo [--requests N] [--haproxy server-close|keep-alive|none] | serve [--port P] | --load URL [--requests N] [--rate R] [--concurrency C]");
        System.exit(2);
    }
}
