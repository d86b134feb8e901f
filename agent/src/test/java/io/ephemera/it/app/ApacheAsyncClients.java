package io.ephemera.it.app;

import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;

import java.net.URI;

/**
 * Apache HttpClient 5's async client, which connects on its I/O reactor's threads: a new started
 * client per request (closed after it), and a shared one.
 */
public final class ApacheAsyncClients {

    private ApacheAsyncClients() {
    }

    public static void main(String[] args) throws Exception {
        HttpPatterns.run(Integer.parseInt(args[0]), ApacheAsyncClients::perRequest,
                HttpPatterns.shared("shared", ApacheAsyncClients::shared));
    }

    static void perRequest(URI uri) throws Exception {
        try (CloseableHttpAsyncClient client = HttpAsyncClients.createDefault()) {
            client.start();
            ok(client.execute(SimpleRequestBuilder.get(uri).build(), null).get());
        }
    }

    static void shared(URI uri, int requests) throws Exception {
        try (CloseableHttpAsyncClient client = HttpAsyncClients.createDefault()) {
            client.start();
            for (int i = 0; i < requests; i++) {
                ok(client.execute(SimpleRequestBuilder.get(uri).build(), null).get());
            }
        }
    }

    private static void ok(SimpleHttpResponse response) {
        if (response.getCode() != 200 || !response.getBodyText().equals("ok")) {
            throw new IllegalStateException("unexpected response " + response.getCode() + " " + response.getBodyText());
        }
    }
}
