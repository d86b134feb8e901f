package io.ephemera.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The agent's heap under a sustained load: {@code rate} connections per second for
 * {@code seconds}, spread over {@code sites} call sites (distinct stacks) and {@code dests}
 * destinations (127.0.x.y:port, all served by the {@link EchoServer}), each client thread holding
 * up to {@code hold} connections open (the oldest closed first, by the client; with {@code hold}
 * above 1 nothing is exchanged, with 1 one byte is echoed). Every
 * {@code sample} seconds, after a full GC, prints the heap in use; at the end, the agent's own
 * counters (when it is loaded): connects, closes, open, and every drop.
 *
 * <p>Run once without the agent and once with it: the difference of the heaps after GC is the
 * agent's heap. usage: Footprint port rate seconds sites dests hold sample [threads]
 */
public final class Footprint {

    private Footprint() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        double rate = Double.parseDouble(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int sites = Integer.parseInt(args[3]);
        int dests = Integer.parseInt(args[4]);
        int hold = Integer.parseInt(args[5]);
        int sample = Integer.parseInt(args[6]);
        int threads = args.length > 7 ? Integer.parseInt(args[7]) : 4;
        InetSocketAddress[] to = new InetSocketAddress[dests];
        for (int d = 0; d < dests; d++) {
            to[d] = new InetSocketAddress("127.0." + (d / 250) + "." + (1 + d % 250), port);
        }
        ConnectChurn.awaitServer(to[0]);
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        Thread[] all = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            all[t] = new Thread(() -> {
                ArrayDeque<Socket> open = new ArrayDeque<>();
                byte[] b = hold > 1 ? null : new byte[1];
                try {
                    while (true) {
                        long n = next.getAndIncrement();
                        long due = start + (long) (n * 1e9 / rate); // paced: the n-th connect of the run
                        long now = System.nanoTime();
                        if (due >= end || now >= end) {
                            break;
                        }
                        if (due > now) {
                            Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
                        }
                        Socket s = (Socket) Sites.at((int) (n % sites), () -> open(to[(int) (n % to.length)], b));
                        open.addLast(s);
                        while (open.size() > hold) {
                            open.removeFirst().close();
                        }
                        done.incrementAndGet();
                    }
                    for (Socket s : open) {
                        s.close();
                    }
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, "footprint-" + t);
            all[t].start();
        }
        Thread sampler = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(sample * 1000L);
                    report("sample", start, done.get());
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "sampler");
        sampler.setDaemon(true);
        sampler.start();
        for (Thread t : all) {
            t.join();
        }
        sampler.interrupt();
        sampler.join();
        Thread.sleep(1000); // let the agent's threads catch up (reaper, census)
        report("end", start, done.get());
        agentCounters();
        System.exit(0);
    }

    private static Object open(InetSocketAddress to, byte[] b) {
        try {
            Socket s = new Socket();
            s.connect(to);
            if (b == null) {
                return s; // held open: the server may not get to it before it is closed
            }
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(b);
            if (in.read(b) != 1) {
                throw new IOException("no echo");
            }
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void report(String what, long start, long connects) {
        System.gc();
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf(Locale.ROOT, "%s t_s=%.0f connects=%d heap_after_gc_MiB=%.2f%n", what,
                (System.nanoTime() - start) / 1e9, connects, used / 1048576.0);
    }

    private static void agentCounters() throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.ephemera:type=ConnectionAudit");
        if (!mbs.isRegistered(name)) {
            System.out.println("agent none");
            return;
        }
        StringBuilder b = new StringBuilder("agent");
        for (String a : new String[] {"ConnectCount", "CloseCount", "OpenConnections", "TrackingDropCount",
            "RecentCloseDropCount", "CallSiteRowsOmitted", "DestinationRowsOmitted", "AgentErrorCount"}) {
            b.append(' ').append(a).append('=').append(mbs.getAttribute(name, a));
        }
        int sites = ((java.util.Map<?, ?>) mbs.getAttribute(name, "CallSites")).size();
        b.append(" CallSiteRows=").append(sites);
        System.out.println(b);
    }
}
