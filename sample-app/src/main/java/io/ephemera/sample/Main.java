package io.ephemera.sample;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The sample backend.
 * <pre>
 *   demo                                   start everything, put a short load on each endpoint, print what the agent found
 *   serve [--port P]                       run the backend (and its downstream) until stopped
 *   load URL [--requests N] [--rate R] [--concurrency C]   a bounded load that stops by itself
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
                demo(intOption(a, "--requests", 300));
                break;
            case "serve":
                serve(intOption(a, "--port", 8080));
                break;
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

    private static void demo(int requests) throws Exception {
        try (Downstream downstream = new Downstream(); Backend backend = new Backend(0, downstream.port())) {
            System.out.printf(Locale.ROOT, "backend on 127.0.0.1:%d, downstream on 127.0.0.1:%d%n", backend.port(),
                    downstream.port());
            for (String path : List.of("/pooled", "/churn", "/leak", "/health")) {
                int n = path.equals("/leak") ? 20 : requests;
                Load load = Load.run(URI.create("http://127.0.0.1:" + backend.port() + path), n, 200, 4);
                System.out.printf(Locale.ROOT, "%-8s %s%n", path, load);
            }
            System.gc(); // lets the agent notice the sockets /leak dropped
            Thread.sleep(1500);
            System.out.println();
            AgentView.print(System.out);
            System.out.println();
            System.out.println("Findings (the agent's report; also in " + logFile() + " under io.ephemera.report):");
            AgentView.printReport(System.out);
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

    private static double doubleOption(List<String> a, String name, double fallback) {
        int i = a.indexOf(name);
        return i >= 0 && i + 1 < a.size() ? Double.parseDouble(a.get(i + 1)) : fallback;
    }

    private static void usage() {
        System.err.println("usage: demo [--requests N] | serve [--port P] | load URL [--requests N] [--rate R] [--concurrency C]");
        System.exit(2);
    }
}
