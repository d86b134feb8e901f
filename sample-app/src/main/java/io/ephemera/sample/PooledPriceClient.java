package io.ephemera.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The right way: one client for the whole application. It keeps connections to the downstream
 * open between requests, so a thousand requests use a handful of connections and ports.
 */
final class PooledPriceClient {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final URI uri;

    PooledPriceClient(int downstreamPort) {
        this.uri = URI.create("http://127.0.0.1:" + downstreamPort + "/price");
    }

    String price() throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
