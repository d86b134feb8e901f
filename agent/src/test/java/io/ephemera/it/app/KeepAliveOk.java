package io.ephemera.it.app;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The HTTP clients' tests' server answer: the request read to its end, then {@code 200 ok}, kept alive. */
final class KeepAliveOk {

    static final String BODY = "ok";
    private static final byte[] BYTES = BODY.getBytes(StandardCharsets.US_ASCII);

    private KeepAliveOk() {
    }

    /**
     * Answers {@code ex}. Clients keep an idle connection a few seconds unless the server says
     * otherwise: a slow machine must not turn a reused connection into a new one, or see a kept one end.
     */
    static void respond(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        ex.getResponseHeaders().set("Keep-Alive", "timeout=600");
        ex.sendResponseHeaders(200, BYTES.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(BYTES);
        }
    }
}
