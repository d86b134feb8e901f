package io.ephemera.it.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * The port-exhaustion lab's client, run in a network namespace with a narrow port range: requests
 * at a fixed rate to a loopback server, either a new connection per request closed by the client
 * first ({@code churn}: every request leaves a TIME_WAIT here) or one kept-alive connection
 * ({@code pooled}). Twice a second it prints what the agent says of the destination and the call
 * site; it stops at the third "Cannot assign requested address" or after {@code seconds}.
 *
 * <p>{@code timewait N} instead makes N TIME_WAIT sockets and exits: run in another process first,
 * they belong to no JVM with the agent.
 */
public final class Churner {

    private Churner() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        if (mode.equals("timewait")) {
            makeTimeWait(Integer.parseInt(args[1]));
            return;
        }
        double rate = Double.parseDouble(args[1]);
        int seconds = Integer.parseInt(args[2]);
        if (!AuditDump.awaitRegistered(60_000)) {
            throw new IllegalStateException("the agent's MXBean was not registered within 60 s");
        }
        try (EchoServer server = new EchoServer(mode.equals("serverCloses"))) {
            System.out.println("port\t" + server.port());
            run(mode, server, rate, seconds);
        }
        AuditDump.print(System.out);
    }

    private static void run(String mode, EchoServer server, double rate, int seconds) throws Exception {
        long start = System.nanoTime();
        long interval = (long) (1e9 / rate);
        long nextSample = start;
        int failures = 0;
        int requests = 0;
        Socket pooled = null;
        try {
            for (long i = 0; System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds); i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                try {
                    if (mode.equals("churn")) {
                        churnRequest(server);
                    } else if (mode.equals("serverCloses")) {
                        untilServerCloses(server);
                    } else {
                        if (pooled == null) {
                            pooled = new Socket(InetAddress.getLoopbackAddress(), server.port());
                        }
                        pooledRequest(pooled);
                    }
                    requests++;
                } catch (BindException e) {
                    failures++;
                    System.out.println("failure\t" + (System.nanoTime() - start) / 1_000_000 + "\t" + e.getMessage());
                    if (failures >= 3) {
                        break;
                    }
                }
                if (System.nanoTime() >= nextSample) {
                    sample(server.port(), (System.nanoTime() - start) / 1_000_000);
                    nextSample += TimeUnit.MILLISECONDS.toNanos(500);
                }
            }
        } finally {
            if (pooled != null) {
                pooled.close();
            }
        }
        System.out.println("requests\t" + requests);
        // census passes after the last request: the second and third began after it, whatever the
        // machine's speed (the census is a thread like any other on a busy machine)
        long after = System.currentTimeMillis();
        for (int i = 0; i < 3; i++) {
            after = AuditDump.awaitCensusPassAfter(after);
        }
        sample(server.port(), (System.nanoTime() - start) / 1_000_000);
    }

    /** A new connection per request, closed by this side first: the mistake the lab reproduces. */
    static void churnRequest(EchoServer server) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            exchange(s);
        }
    }

    /** One request; the server closes first, so the TIME_WAIT is on its side, on its port. */
    static void untilServerCloses(EchoServer server) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            exchange(s);
            while (s.getInputStream().read() >= 0) {
                // until the server's FIN
            }
        }
    }

    static void pooledRequest(Socket s) throws IOException {
        exchange(s);
    }

    private static void exchange(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write('x');
        out.flush();
        if (in.read() != 'x') {
            throw new IOException("no echo");
        }
    }

    /** Prints the destination row and the churning site's row as the agent has them now. */
    private static void sample(int port, long millis) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(AuditDump.NAME);
        TabularData destinations = (TabularData) server.getAttribute(name, "Destinations");
        CompositeData d = row(destinations, "127.0.0.1:" + port);
        StringBuilder line = new StringBuilder("sample\t").append(millis);
        if (d != null) {
            for (String item : new String[] {"portsInUse", "portBudget", "headroomPercent", "holdSeconds",
                "secondsToExhaustion", "ownedTimeWait", "connectRatePerSecond"}) {
                line.append('\t').append(item).append('=').append(d.get(item));
            }
        }
        TabularData sites = (TabularData) server.getAttribute(name, "CallSites");
        for (Object o : sites.values()) {
            CompositeData site = (CompositeData) ((CompositeData) o).get("value");
            String label = (String) site.get("site");
            if (label.startsWith("io.ephemera.it.app.Churner.churnRequest(") || label.startsWith("io.ephemera.it.app.Churner.run(")) {
                line.append("\tsite=").append(label.substring(0, label.indexOf('(')))
                        .append("\tchurning=").append(site.get("churning"))
                        .append("\tsiteOwnedTimeWait=").append(site.get("ownedTimeWait"));
            }
        }
        System.out.println(line);
    }

    private static CompositeData row(TabularData table, String key) {
        for (Object o : table.values()) {
            CompositeData r = (CompositeData) o;
            if (key.equals(r.get("key"))) {
                return (CompositeData) r.get("value");
            }
        }
        return null;
    }

    private static void makeTimeWait(int n) throws Exception {
        try (EchoServer server = new EchoServer(false)) {
            for (int i = 0; i < n; i++) {
                churnRequest(server);
            }
        }
        System.out.println("made\t" + n);
    }

    /**
     * Echoes each byte until the client closes, then closes: the client closes first. With
     * {@code closesFirst} it echoes one byte and closes at once instead.
     */
    static final class EchoServer implements AutoCloseable {
        private final ServerSocket server;
        private final boolean closesFirst;

        EchoServer(boolean closesFirst) throws IOException {
            this.closesFirst = closesFirst;
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
            Thread t = new Thread(this::serve, "echo-server");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> echo(s, closesFirst), "echo");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void echo(Socket s, boolean closesFirst) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (int b; (b = in.read()) >= 0; ) {
                    out.write(b);
                    out.flush();
                    if (closesFirst) {
                        return;
                    }
                }
            } catch (IOException ignored) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
