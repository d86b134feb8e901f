package io.ephemera.it.app;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import java.io.IOException;
import java.net.URI;

/**
 * Apache HttpClient 5's classic client, which connects on the caller's thread: a new client per
 * request (closed after it), and a shared one. Each response is consumed to the end.
 */
public final class ApacheClassicClients {

    private ApacheClassicClients() {
    }

    public static void main(String[] args) throws Exception {
        HttpPatterns.run(Integer.parseInt(args[0]), ApacheClassicClients::perRequest,
                HttpPatterns.shared("shared", ApacheClassicClients::shared));
    }

    static void perRequest(URI uri) throws IOException {
        try (CloseableHttpClient client = HttpClients.createDefault()) {
            ok(client.execute(new HttpGet(uri), response -> EntityUtils.toString(response.getEntity())));
        }
    }

    static void shared(URI uri, int requests) throws IOException {
        try (CloseableHttpClient client = HttpClients.createDefault()) {
            for (int i = 0; i < requests; i++) {
                ok(client.execute(new HttpGet(uri), response -> EntityUtils.toString(response.getEntity())));
            }
        }
    }

    private static void ok(String body) {
        if (!body.equals("ok")) {
            throw new IllegalStateException("unexpected response " + body);
        }
    }
}
