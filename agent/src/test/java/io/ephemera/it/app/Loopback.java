package io.ephemera.it.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A loopback server that accepts and closes every connection, counting them, on its own thread. */
final class Loopback implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger handled = new AtomicInteger();
    private final Thread thread;
    private final boolean peerClosesFirst;

    Loopback(InetAddress address) throws IOException {
        this(address, false);
    }

    /** With {@code peerClosesFirst} each connection is closed here only after the client closed it. */
    Loopback(InetAddress address, boolean peerClosesFirst) throws IOException {
        this.peerClosesFirst = peerClosesFirst;
        server = new ServerSocket(0, 200, address);
        thread = new Thread(this::acceptLoop, "loopback-server");
        thread.setDaemon(true);
        thread.start();
    }

    Loopback() throws IOException {
        this(InetAddress.getByName("127.0.0.1"));
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                if (peerClosesFirst) {
                    while (s.getInputStream().read() >= 0) {
                        // until the client's FIN
                    }
                }
                s.close();
                handled.incrementAndGet();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Waits until {@code n} connections were accepted and closed. */
    void awaitHandled(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (handled.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (handled.get() < n) {
            throw new IllegalStateException("server handled " + handled.get() + " of " + n + " in 60 s");
        }
    }

    int handled() {
        return handled.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
