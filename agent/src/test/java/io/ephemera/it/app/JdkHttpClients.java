package io.ephemera.it.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The JDK's {@code java.net.http.HttpClient}: {@code sendAsync} connects on the client's executor.
 * A new client per request (never closed: JDK 17 has no {@code close()}, its connections stay open
 * idle in the client's pool), a shared one with {@code sendAsync}, and a shared one with {@code send}.
 */
public final class JdkHttpClients {

    /**
     * Every client made per request, reachable until the JVM ends: on JDK 21 and later an
     * HttpClient that becomes unreachable is shut down when the garbage collector finds it, closing
     * its idle connections after however long the collector took, and the verdict would depend on
     * that timing (HttpClientChurn keeps its clients the same way).
     */
    private static final List<HttpClient> KEPT = Collections.synchronizedList(new ArrayList<>());

    private JdkHttpClients() {
    }

    public static void main(String[] args) throws Exception {
        HttpPatterns.run(Integer.parseInt(args[0]), JdkHttpClients::perRequest,
                HttpPatterns.shared("shared", JdkHttpClients::shared),
                HttpPatterns.shared("sharedSend", JdkHttpClients::sharedSend));
    }

    static void perRequest(URI uri) {
        HttpClient client = HttpClient.newHttpClient();
        KEPT.add(client);
        ok(client.sendAsync(get(uri), HttpResponse.BodyHandlers.ofString()).join());
    }

    static void shared(URI uri, int requests) {
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < requests; i++) {
            ok(client.sendAsync(get(uri), HttpResponse.BodyHandlers.ofString()).join());
        }
    }

    static void sharedSend(URI uri, int requests) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = get(uri);
        for (int i = 0; i < requests; i++) {
            ok(client.send(request, HttpResponse.BodyHandlers.ofString()));
        }
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).build();
    }

    private static void ok(HttpResponse<String> response) {
        if (response.statusCode() != 200 || !response.body().equals("ok")) {
            throw new IllegalStateException("unexpected response " + response.statusCode() + " " + response.body());
        }
    }
}
