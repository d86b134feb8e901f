package io.ephemera.it.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;
import javax.net.ssl.SSLSocketFactory;

/**
 * The safety tests' application, in a forked JVM: it does what an application does (connects on
 * loopback, sends bytes, shuts down) while the agent is faulty, capped, attached late or handed odd
 * addresses, and prints what it observed itself ({@code expect} and {@code observed} lines) and the
 * agent's MXBean ({@link AuditDump}).
 */
public final class Hostile {

    /** Bytes the application sends; no report may ever contain them. */
    public static final String PAYLOAD = "PAYLOAD-7f3a-do-not-log";

    private Hostile() {
    }

    public static void main(String[] args) throws Exception {
        int connects;
        switch (args[0]) {
            case "steady": connects = steady(Integer.parseInt(args[1])); break;
            case "odd": connects = odd(); break;
            case "payload": connects = payload(); break;
            case "storm": connects = storm(); break;
            case "attachBusy": connects = attachBusy(); break;
            default: throw new IllegalArgumentException(args[0]);
        }
        System.out.println("expect\tconnects\t" + connects);
        if (!AuditDump.awaitRegistered(Workload.agentRunning() ? 60_000 : 0)) {
            System.out.println("mbean\tabsent");
            return;
        }
        if (List.of(args).contains("awaitStale")) {
            awaitStale(60_000);
        }
        AuditDump.print(System.out);
    }

    /**
     * Waits until the agent says its census is stale: it is after three {@code census.interval}s
     * and two seconds without a pass, which a short workload on a fast machine does not last.
     */
    private static void awaitStale(long millis) throws Exception {
        ObjectName name = new ObjectName(AuditDump.NAME);
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!(Boolean) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "CensusStale")) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("CensusStale still false after " + millis + " ms; CensusAgeMillis "
                        + ManagementFactory.getPlatformMBeanServer().getAttribute(name, "CensusAgeMillis"));
            }
            Thread.sleep(50);
        }
    }

    // ---- faults inside the agent ------------------------------------------------------------------

    /**
     * Connects with each API, {@code rounds} times 20 ms apart, so that the census and the reporter
     * run meanwhile. Any failure the application sees ends it with an exception.
     */
    static int steady(int rounds) throws Exception {
        int n = 0;
        try (Loopback server = new Loopback()) {
            for (int i = 0; i < rounds; i++) {
                Workload.socketConstructor(server);
                Workload.channelBlocking(server.address());
                Workload.channelNonBlocking(server.address());
                Workload.asyncFuture(server.address());
                n += 4;
                Thread.sleep(20);
            }
            server.awaitHandled(n);
        }
        return n;
    }

    // ---- hostnames and addresses -----------------------------------------------------------------------

    /**
     * Unresolved names, a scoped IPv6 address, an IPv4-mapped IPv6 address, and connects that throw
     * before they reach the kernel, through each API. Prints each outcome: they must be the same with
     * and without the agent.
     */
    static int odd() throws Exception {
        int connects = 0;
        try (Loopback server = new Loopback()) {
            int port = server.port();
            SocketAddress unresolved = InetSocketAddress.createUnresolved("no-such-host.invalid", port);
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(InetAddress.getByName("127.0.0.1").getAddress(), 0, mapped, 12, 4);
            SocketAddress v4mapped = new InetSocketAddress(Inet6Address.getByAddress(null, mapped, -1), port);
            int lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()).getIndex();
            SocketAddress linkLocal = new InetSocketAddress(Inet6Address.getByAddress(null,
                    InetAddress.getByName("fe80::1").getAddress(), lo), port); // fe80::1%lo
            Map<String, SocketAddress> targets = new LinkedHashMap<>();
            targets.put("unresolved", unresolved);
            targets.put("v4mapped", v4mapped);
            targets.put("linkLocal", linkLocal);
            targets.put("refused", Workload.closedPort());
            targets.put("plain", new InetSocketAddress("127.0.0.1", port));
            for (Map.Entry<String, SocketAddress> target : targets.entrySet()) {
                SocketAddress to = target.getValue();
                String name = target.getKey();
                connects += outcome("socket " + name, () -> {
                    try (Socket s = new Socket()) {
                        s.connect(to, 1_000);
                    }
                });
                connects += outcome("channel " + name, () -> {
                    try (SocketChannel c = SocketChannel.open()) {
                        c.connect(to);
                    }
                });
                connects += outcome("async " + name, () -> {
                    try (AsynchronousSocketChannel c = AsynchronousSocketChannel.open()) {
                        c.connect(to).get(5, TimeUnit.SECONDS);
                    }
                });
            }
            SocketAddress good = new InetSocketAddress("127.0.0.1", port);
            // thrown before the kernel is asked
            connects += outcome("socket null", () -> {
                try (Socket s = new Socket()) {
                    s.connect(null);
                }
            });
            connects += outcome("socket unix address", () -> {
                try (Socket s = new Socket()) {
                    s.connect(UnixDomainSocketAddress.of("/nonexistent"));
                }
            });
            connects += outcome("socket negative timeout", () -> {
                try (Socket s = new Socket()) {
                    s.connect(good, -1);
                }
            });
            connects += outcome("socket closed", () -> {
                Socket s = new Socket();
                s.close();
                s.connect(good);
            });
            connects += outcome("channel closed", () -> {
                SocketChannel c = SocketChannel.open();
                c.close();
                c.connect(good);
            });
            connects += outcome("channel connected twice", () -> {
                try (SocketChannel c = SocketChannel.open(good)) {
                    c.connect(good);
                }
            });
            connects += outcome("async closed", () -> {
                AsynchronousSocketChannel c = AsynchronousSocketChannel.open();
                c.close();
                c.connect(good).get(5, TimeUnit.SECONDS);
            });
            connects += outcome("hostname", () -> {
                try (Socket s = new Socket("no-such-host.invalid", port)) {
                    s.getPort();
                }
            });
            server.awaitHandled(connects); // the server's closes: every connect that succeeded reached it
        }
        return connects;
    }

    private interface Attempt {
        void run() throws Exception;
    }

    /** 1 when the attempt connected, else 0; prints what the application saw either way. */
    private static int outcome(String what, Attempt attempt) {
        try {
            attempt.run();
            System.out.println("observed\t" + what + "\tok");
            return 1;
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            System.out.println("observed\t" + what + "\t" + cause.getClass().getName());
            return what.contains("twice") ? 1 : 0; // the first connect of the two succeeded
        }
    }

    // ---- security ----------------------------------------------------------------------------------

    /**
     * Prints how many listening sockets (TCP, UDP, Unix) this process has, once its own are closed
     * and the agent has registered its MXBean, run a census and written reports.
     */
    static void listeners() throws IOException {
        Set<Long> mine = socketInodes();
        int listening = 0;
        for (String table : List.of("tcp", "tcp6")) {
            listening += count(Path.of("/proc/self/net", table), mine, 3, "0A", 9);
        }
        for (String table : List.of("udp", "udp6")) {
            listening += count(Path.of("/proc/self/net", table), mine, -1, null, 9);
        }
        listening += count(Path.of("/proc/self/net/unix"), mine, 5, "01", 6); // SS_UNCONNECTED: a listener or bound
        System.out.println("listening\t" + listening);
    }

    private static Set<Long> socketInodes() throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return inodes;
    }

    /** Lines of a /proc table whose inode is ours and whose state column (if any) is {@code state}. */
    private static int count(Path table, Set<Long> mine, int stateColumn, String state, int inodeColumn)
            throws IOException {
        int n = 0;
        List<String> lines = Files.readAllLines(table);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length > inodeColumn && mine.contains(Long.parseLong(f[inodeColumn]))
                    && (stateColumn < 0 || f[stateColumn].equals(state))) {
                System.out.println("listener\t" + table + "\t" + line.trim());
                n++;
            }
        }
        return n;
    }

    /**
     * Sends and receives {@link #PAYLOAD}, leaks a connection so there is a finding, then prints
     * the MXBean's text and JSON reports, and the listening sockets.
     */
    static int payload() throws Exception {
        byte[] bytes = PAYLOAD.getBytes(StandardCharsets.US_ASCII);
        int n = 0;
        try (java.net.ServerSocket echo = new java.net.ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        try (Socket s = echo.accept()) {
                            s.getOutputStream().write(s.getInputStream().readNBytes(bytes.length));
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "echo");
            t.setDaemon(true);
            t.start();
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket("127.0.0.1", echo.getLocalPort());
                OutputStream out = s.getOutputStream();
                out.write(bytes);
                out.flush();
                s.getInputStream().readNBytes(bytes.length);
                n++;
                if (i > 0) {
                    s.close();
                }
            }
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (leakCount() < 1) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the agent found no leaked connection within 60 s");
            }
            System.gc();
            Thread.sleep(100);
        }
        ObjectName name = new ObjectName(AuditDump.NAME);
        for (String op : List.of("report", "reportJson")) {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(name, op, null, null);
            System.out.println(op + "\t" + text.replace("\n", "\\n"));
        }
        listeners();
        return n;
    }

    private static long leakCount() throws Exception {
        ObjectName name = new ObjectName(AuditDump.NAME);
        if (!ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
            return 0;
        }
        return (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "LeakCount");
    }

    // ---- load --------------------------------------------------------------------------------------

    /**
     * Beyond every cap at once: more call sites (recursion depths), destinations (refused ports),
     * open connections and remembered closes than the agent keeps. Prints the heap after each half,
     * and each half's connects per second of this thread's CPU time (the wall clock would count
     * what other processes on the machine take).
     */
    static int storm() throws Exception {
        int n = 0;
        List<Socket> held = new ArrayList<>();
        try (Loopback server = new Loopback()) {
            for (int half = 0; half < 2; half++) {
                long t0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                int before = n;
                for (int i = 0; i < 3_000; i++) {
                    stormConnect(server, i % 120);
                    n++;
                }
                double rate = (n - before) / ((ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - t0) / 1e9);
                for (int port = 1; port <= 300; port++) {
                    refusedAt(port + half * 300);
                }
                System.gc();
                System.gc();
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                System.out.println("half\t" + half + "\t" + used + "\t" + Math.round(rate));
            }
            for (int i = 0; i < 100; i++) {
                held.add(new Socket("127.0.0.1", server.port())); // past connections.max
                n++;
            }
            for (Socket s : held) {
                s.close();
            }
            server.awaitHandled(n);
        }
        return n;
    }

    /** A call site per recursion depth: the same line, a different stack. */
    private static void stormConnect(Loopback server, int depth) throws IOException {
        if (depth > 0) {
            stormConnect(server, depth - 1);
            return;
        }
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getPort();
        }
    }

    /** A connect to a port on 127.0.0.2 where nothing listens: refused at once, one more destination. */
    private static void refusedAt(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.2", port));
        } catch (IOException e) {
            // refused: expected
        }
    }

    // ---- attach while busy ---------------------------------------------------------------------------

    /**
     * Holds connections open, then waits: on {@code GO} (sent as the agent is being attached) threads
     * start connecting, half through socket classes no one has loaded yet, so the agent installs while
     * they load and initialise. Ends after {@code STOP}, once every thread has finished.
     */
    static int attachBusy() throws Exception {
        List<Socket> before = new ArrayList<>();
        AtomicInteger connects = new AtomicInteger();
        try (Loopback server = new Loopback()) {
            for (int i = 0; i < 5; i++) {
                before.add(new Socket("127.0.0.1", server.port()));
            }
            System.out.println("READY\t" + ProcessHandle.current().pid());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            await(in, "GO");
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch done = new CountDownLatch(8);
            List<Throwable> failed = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 8; t++) {
                int id = t;
                Thread thread = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            switch (id % 4) {
                                case 0: Workload.socketConstructor(server); break;
                                case 1: Workload.channelNonBlocking(server.address()); break;
                                case 2: Workload.asyncFuture(server.address()); break;
                                default: sslConnect(server); break;
                            }
                            connects.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failed.add(e);
                    } finally {
                        done.countDown();
                    }
                }, "busy-" + t);
                thread.start();
            }
            await(in, "STOP");
            awaitCounted(); // the attach took effect while the threads connect
            stop.set(true);
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("connecting threads did not finish within 60 s");
            }
            if (!failed.isEmpty()) {
                throw new IllegalStateException("the application saw a failure", failed.get(0));
            }
            for (Socket s : before) {
                s.close(); // opened before the attach: their closes must not drive a count negative
            }
            server.awaitHandled(connects.get() + before.size());
        }
        return connects.get();
    }

    /** Waits until the attached agent has registered its MXBean and counted a connect: at most 60 s. */
    private static void awaitCounted() throws Exception {
        ObjectName name = new ObjectName(AuditDump.NAME);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!ManagementFactory.getPlatformMBeanServer().isRegistered(name)
                || (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "ConnectCount") == 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the attached agent counted no connect within 60 s");
            }
            Thread.sleep(20);
        }
    }

    private static void sslConnect(Loopback server) throws IOException {
        try (Socket s = SSLSocketFactory.getDefault().createSocket("127.0.0.1", server.port())) {
            s.getPort();
        }
    }

    private static void await(BufferedReader in, String word) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().equals(word)) {
                return;
            }
        }
        throw new IllegalStateException("stdin closed before " + word);
    }
}
