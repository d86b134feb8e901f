package io.ephemera.it.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How many TCP connections {@code HttpURLConnection} opens for 50 sequential requests to a local
 * {@link HttpServer}, for each way of ending a request; prints {@code pattern=<name> connections=<n>}.
 * The server tells connections apart by the client's port: requests are sequential, so a new
 * connection shows as a port different from the previous request's (the kernel never hands the port
 * of the connection just closed to the very next connect).
 */
public final class UrlConnectionReuse {

    static final int REQUESTS = 50;
    private static final byte[] BODY = "x".repeat(1000).getBytes(StandardCharsets.US_ASCII);

    private final List<Integer> clientPorts = new ArrayList<>();

    /** Each argument names a pattern (see {@link #request}); none runs them all. */
    public static void main(String[] args) throws Exception {
        List<String> patterns = args.length > 0 ? List.of(args) : List.of("read-close", "read-close-disconnect",
                "error-read-close", "read-disconnect-close", "read-disconnect", "connection-close");
        for (String p : patterns) {
            // a server of its own per pattern: idle connections are cached per host and port, so the one a
            // pattern left idle would otherwise serve the next pattern
            UrlConnectionReuse counter = new UrlConnectionReuse();
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.createContext("/", counter::handle);
            server.start();
            try {
                String url = "http://127.0.0.1:" + server.getAddress().getPort() + (p.startsWith("error") ? "/error" : "/");
                for (int i = 0; i < REQUESTS; i++) {
                    request(url, p);
                }
            } finally {
                server.stop(0);
            }
            System.out.println("pattern=" + p + " connections=" + counter.connections());
        }
    }

    private synchronized int connections() {
        int n = 0;
        int last = -1;
        for (int port : clientPorts) {
            if (port != last) {
                n++;
            }
            last = port;
        }
        return n;
    }

    private void handle(HttpExchange ex) throws IOException {
        synchronized (this) {
            clientPorts.add(ex.getRemoteAddress().getPort());
        }
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        // the client keeps an idle connection 5 s unless the server says otherwise: a slow machine must
        // not turn a reused connection into a new one
        ex.getResponseHeaders().set("Keep-Alive", "timeout=600");
        ex.sendResponseHeaders(ex.getRequestURI().getPath().startsWith("/error") ? 500 : 200, BODY.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(BODY);
        }
    }

    /**
     * One request ended the pattern's way. A body left unread is not a pattern: whether closing the
     * stream then drains it and keeps the connection depends on whether the rest has arrived yet.
     */
    @SuppressWarnings("deprecation") // new URL(String): the constructor every JDK from 17 on has
    private static void request(String url, String pattern) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        if (pattern.equals("connection-close")) {
            c.setRequestProperty("Connection", "close");
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        switch (pattern) {
            case "read-close":
            case "connection-close":
            case "error-read-close":
                in.readAllBytes();
                in.close();
                break;
            case "read-close-disconnect":
                in.readAllBytes();
                in.close();
                c.disconnect();
                break;
            case "read-disconnect-close":
                in.readAllBytes();
                c.disconnect();
                in.close();
                break;
            case "read-disconnect":
                in.readAllBytes();
                c.disconnect();
                break;
            default:
                throw new IllegalArgumentException(pattern);
        }
    }
}
