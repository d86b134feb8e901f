package io.ephemera.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A leak: the socket is opened, used, and dropped without {@code close()}. The connection stays
 * open until the garbage collector happens to reclaim the socket, holding a file descriptor and a
 * port the whole time.
 */
final class LeakyStockClient {

    private final int port;

    LeakyStockClient(int downstreamPort) {
        this.port = downstreamPort;
    }

    void ping() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        out.write("GET /price HTTP/1.1\r\nHost: downstream\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // no close(): the bug
    }
}
