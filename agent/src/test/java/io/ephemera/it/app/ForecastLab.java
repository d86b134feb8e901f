package io.ephemera.it.app;

import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * The forecast lab's client, run in a network namespace with a narrow port range and
 * {@code tcp_tw_reuse=0}: new connections to a loopback server, each closed by this side first
 * (each leaves its port in TIME_WAIT for 60 s), until the first "Cannot assign requested address".
 * Once, at a planned moment, it reads the agent's forecast for the destination
 * ({@code secondsToExhaustion} of its {@code Destinations} row) and prints it with the time it was
 * read; then it prints when connect() really failed. Times are milliseconds since the first connect.
 *
 * <ul>
 *   <li>{@code steady RATE READ_AFTER}: one connect every 1/RATE s, on a fixed schedule; the
 *       forecast is read right after connect number READ_AFTER.</li>
 *   <li>{@code burst SIZE EVERY_MS READ_AFTER_BURSTS}: SIZE connects back to back every EVERY_MS;
 *       the forecast is read half way between burst READ_AFTER_BURSTS and the next.</li>
 * </ul>
 * It waits for a census pass first, so the kernel's half of the forecast (the budget) is there.
 */
public final class ForecastLab {

    private ForecastLab() {
    }

    public static void main(String[] args) throws Exception {
        if (!AuditDump.awaitRegistered(60_000)) {
            throw new IllegalStateException("the agent's MXBean was not registered within 60 s");
        }
        try (Churner.EchoServer server = new Churner.EchoServer(false)) {
            AuditDump.awaitCensusPassAfter(System.currentTimeMillis());
            System.out.println("port\t" + server.port());
            if (args[0].equals("steady")) {
                steady(server, Double.parseDouble(args[1]), Integer.parseInt(args[2]));
            } else {
                burst(server, Integer.parseInt(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]));
            }
        }
    }

    private static void steady(Churner.EchoServer server, double rate, int readAfter) throws Exception {
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        for (long i = 0; ; i++) {
            sleepUntil(start + i * interval);
            if (!connect(server, start)) {
                return;
            }
            if (i + 1 == readAfter) {
                forecast(server, start);
            }
        }
    }

    private static void burst(Churner.EchoServer server, int size, long everyMillis, int readAfterBursts)
            throws Exception {
        long every = TimeUnit.MILLISECONDS.toNanos(everyMillis);
        long start = System.nanoTime();
        for (long b = 0; ; b++) {
            sleepUntil(start + b * every);
            for (int i = 0; i < size; i++) {
                if (!connect(server, start)) {
                    return;
                }
            }
            if (b + 1 == readAfterBursts) {
                sleepUntil(start + b * every + every / 2);
                forecast(server, start);
            }
        }
    }

    /** One new connection, closed here first; false (and the time printed) when connect() found no port. */
    private static boolean connect(Churner.EchoServer server, long start) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.getOutputStream().write('x');
            if (s.getInputStream().read() != 'x') {
                throw new IllegalStateException("no echo");
            }
            return true;
        } catch (BindException e) {
            System.out.println("exhausted\t" + millis(start) + "\t" + e.getMessage());
            return false;
        }
    }

    /** The agent's forecast for the destination, as read now, and the row it came from. */
    private static void forecast(Churner.EchoServer server, long start) throws Exception {
        long before = System.nanoTime();
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        TabularData rows = (TabularData) mbeans.getAttribute(new ObjectName(AuditDump.NAME), "Destinations");
        long after = System.nanoTime();
        String key = "127.0.0.1:" + server.port();
        for (Object o : rows.values()) {
            CompositeData r = (CompositeData) o;
            if (key.equals(r.get("key"))) {
                CompositeData row = (CompositeData) r.get("value");
                double readAt = ((before + after) / 2 - start) / 1e6;
                System.out.println("forecast\t" + Math.round(readAt) + "\t" + row.get("secondsToExhaustion")
                        + "\tportsInUse=" + row.get("portsInUse") + "\tportBudget=" + row.get("portBudget")
                        + "\tconnects=" + row.get("connects") + "\tconnectRatePerSecond=" + row.get("connectRatePerSecond"));
                return;
            }
        }
        throw new IllegalStateException("no row for " + key + ": " + rows.keySet());
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
