package io.ephemera.it.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Ends inbound connections each of the three ways, through a {@code ServerSocket} and a
 * {@code ServerSocketChannel}: the peer closes with a FIN, the peer resets ({@code SO_LINGER} 0),
 * or this side closes first. The six servers run at once, each with its clients one connection at
 * a time. Prints {@code port API ENDING PORT} for each server, waits for a census pass that saw
 * them (with {@code awaitCensus}), and dumps the MXBean.
 * <pre>  PeerEndings CONNECTIONS CENSUS_WAIT_MILLIS [awaitCensus]</pre>
 */
public final class PeerEndings {

    enum Ending { PEER, RESET, HERE }

    private PeerEndings() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        long censusWait = Long.parseLong(args[1]);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        // the six servers at once, each with its clients one at a time: a peer's connections are as
        // close together as the machine makes them, not spread behind five other servers' turns
        ExecutorService pool = Executors.newFixedThreadPool(2 * Ending.values().length);
        List<Future<?>> runs = new ArrayList<>();
        long start = System.nanoTime();
        for (Ending ending : Ending.values()) {
            runs.add(pool.submit(() -> {
                try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
                    System.out.println("port\tsocket\t" + ending + "\t" + server.getLocalPort());
                    CountDownLatch done = new CountDownLatch(n);
                    serve(() -> {
                        Socket s = server.accept();
                        if (ending != Ending.HERE) {
                            drain(s.getInputStream());
                        }
                        s.close();
                    }, done);
                    clients(server.getLocalPort(), ending, n);
                    await(done);
                }
                return null;
            }));
            runs.add(pool.submit(() -> {
                try (ServerSocketChannel server = ServerSocketChannel.open()) {
                    server.bind(new InetSocketAddress(loopback, 0));
                    int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
                    System.out.println("port\tchannel\t" + ending + "\t" + port);
                    CountDownLatch done = new CountDownLatch(n);
                    serve(() -> {
                        SocketChannel c = server.accept();
                        if (ending != Ending.HERE) {
                            drain(c);
                        }
                        c.close();
                    }, done);
                    clients(port, ending, n);
                    await(done);
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get(); // a failure in a run ends this JVM with it
        }
        pool.shutdown();
        System.out.println("clients\t" + (System.nanoTime() - start) / 1_000_000 + "\tms for all connections");
        Thread.sleep(censusWait);
        if (!AuditDump.awaitRegistered(60_000)) {
            throw new IllegalStateException("the agent's MXBean was not registered within 60 s");
        }
        if (args.length > 2 && args[2].equals("awaitCensus")) {
            awaitFullCensus(4L * n - 4, 60_000);
        }
        AuditDump.print(System.out);
    }

    /**
     * Waits for a full census pass that saw the TIME_WAIT sockets of both local-first servers and
     * both client-first clients: the census widens its interval while its scans are slow (a cold
     * JIT, a loaded machine), so a fixed sleep is not enough.
     */
    private static void awaitFullCensus(long ownedTimeWait, long millis) throws Exception {
        javax.management.ObjectName name = new javax.management.ObjectName(AuditDump.NAME);
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long seen;
        while ((seen = (Long) server.getAttribute(name, "OwnedTimeWaitCount")) < ownedTimeWait) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no census pass saw " + ownedTimeWait + " TIME_WAIT sockets of this JVM within "
                        + millis + " ms: OwnedTimeWaitCount " + seen);
            }
            Thread.sleep(100);
        }
    }

    interface Step {
        void run() throws IOException;
    }

    private static void serve(Step handleOne, CountDownLatch done) {
        Thread t = new Thread(() -> {
            while (done.getCount() > 0) {
                try {
                    handleOne.run();
                } catch (IOException e) {
                    return;
                }
                done.countDown();
            }
        }, "peer-endings-server");
        t.setDaemon(true);
        t.start();
    }

    /** One connection at a time, so that each ends before the next begins. */
    private static void clients(int port, Ending ending, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            Socket s = new Socket("127.0.0.1", port);
            if (ending != Ending.HERE) {
                s.getOutputStream().write('x'); // (a server that closes with unread data resets: no TIME_WAIT)
            }
            switch (ending) {
                case PEER:
                    s.close();
                    break;
                case RESET:
                    s.setSoLinger(true, 0);
                    s.close();
                    break;
                case HERE:
                    drain(s.getInputStream()); // until the server's FIN
                    s.close();
                    break;
                default:
                    throw new AssertionError(ending);
            }
        }
    }

    /** Reads until end of stream or a reset; either is how the peer ended the connection. */
    private static void drain(InputStream in) {
        try {
            while (in.read() >= 0) {
                // discard
            }
        } catch (IOException reset) {
            // Connection reset
        }
    }

    private static void drain(SocketChannel c) {
        ByteBuffer b = ByteBuffer.allocate(64);
        try {
            while (c.read(b) >= 0) {
                b.clear();
            }
        } catch (IOException reset) {
            // Connection reset by peer
        }
    }

    private static void await(CountDownLatch done) throws InterruptedException {
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the server still had " + done.getCount() + " connections to handle after 60 s");
        }
    }
}
