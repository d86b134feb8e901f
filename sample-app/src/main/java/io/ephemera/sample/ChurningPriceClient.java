package io.ephemera.sample;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The mistake ephemera exists to find: a new TCP connection for every request. Here it is an
 * {@code HttpURLConnection} told {@code Connection: close} and then {@code disconnect()}ed, which
 * is what code copied from a tutorial often does. Each call takes a fresh ephemeral port, and the
 * port stays in TIME_WAIT for 60 s after this side closes it.
 */
final class ChurningPriceClient {

    private final URI uri;

    ChurningPriceClient(int downstreamPort) {
        this.uri = URI.create("http://127.0.0.1:" + downstreamPort + "/price");
    }

    String price() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setRequestProperty("Connection", "close");
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }
}
