package io.ephemera.kernel;

import java.io.IOException;

/**
 * What one pass over a {@code /proc/net/tcp} text found besides the sockets themselves.
 *
 * @param sockets        lines parsed and handed to the visitor
 * @param malformedLines lines skipped: garbled, truncated, or longer than
 *                       {@link ProcNetTcpParser#MAX_LINE}; the header is not counted
 * @param bytes          bytes of text read
 * @param error          why the file could not be read (whole or in part), or {@code null}
 */
record TcpScan(int sockets, int malformedLines, long bytes, IOException error) {

    static TcpScan unavailable(IOException error) {
        return new TcpScan(0, 0, 0, error);
    }

    /**
     * True when the whole text was read. When false the visitor may have seen part of the
     * table: a census should treat the scan as incomplete rather than as a table with fewer
     * sockets.
     */
    boolean available() {
        return error == null;
    }
}
