package io.ephemera.it.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ref.Reference;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocketFactory;

/**
 * The program the integration tests run in a forked JVM with the agent: one scenario per
 * argument, each opening real connections on loopback, then printing what the application itself
 * observed ({@code expect} lines) and the agent's MXBean ({@link AuditDump}).
 */
public final class Workload {

    private static int connects;
    /** Keeps the CLOSE_WAIT socket reachable until the exit report, so no GC turns it into a leak. */
    private static Socket keptOpen;
    private static int failures;

    private Workload() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.currentTimeMillis();
        String scenario = args[0];
        switch (scenario) {
            case "socket": socket(); break;
            case "channel": channel(); break;
            case "async": async(); break;
            case "ssl": ssl(); break;
            case "failures": failures(); break;
            case "concurrent": concurrent(Integer.parseInt(args[1]), Integer.parseInt(args[2])); break;
            case "virtual": virtual(); break;
            case "ipv6": ipv6(); break;
            case "notTcp": notTcp(); break;
            case "leak": leak(); break;
            case "exhaust": exhaust(); break;
            case "unreachable": unreachable(); break;
            case "attachTarget": attachTarget(); break;
            case "attachHeld": attachHeld(); break;
            case "idle": idle(); break;
            case "quiet": break;
            case "closeWait": closeWait(); break;
            default: throw new IllegalArgumentException(scenario);
        }
        System.out.println("expect\tconnects\t" + connects);
        System.out.println("expect\tfailures\t" + failures);
        if (!AuditDump.awaitRegistered(agentRunning() ? 60_000 : 0)) {
            System.out.println("mbean\tabsent");
            return;
        }
        if (List.of(args).contains("awaitCensusPass")) {
            AuditDump.awaitCensusPassAfter(started); // the census has had its say, whatever it says
        }
        AuditDump.print(System.out);
    }

    // ---- java.net.Socket ---------------------------------------------------------------------------

    static void socket() throws Exception {
        try (Loopback server = new Loopback()) {
            System.out.println("port\t" + server.port());
            for (int i = 0; i < 3; i++) {
                socketConstructor(server);
            }
            for (int i = 0; i < 2; i++) {
                socketConnect(server);
                socketConnectTimeout(server);
            }
            server.awaitHandled(7);
        }
    }

    static void socketConstructor(Loopback server) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            connects++;
        }
    }

    static void socketConnect(Loopback server) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server.address());
            connects++;
        }
    }

    static void socketConnectTimeout(Loopback server) throws IOException {
        Socket s = new Socket();
        s.connect(server.address(), 2_000);
        connects++;
        s.close();
        s.close(); // a second close is not a second connection
    }

    // ---- SocketChannel ----------------------------------------------------------------------------

    static void channel() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress to = (InetSocketAddress) server.getLocalAddress();
            System.out.println("port\t" + to.getPort());
            AtomicInteger handled = new AtomicInteger();
            Thread t = new Thread(() -> channelServer(server, handled), "channel-server");
            t.setDaemon(true);
            t.start();
            for (int i = 0; i < 2; i++) {
                channelBlocking(to);
                channelNonBlocking(to);
            }
            channelAdaptor(to);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (handled.get() < 5) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the server handled " + handled.get() + " of 5 in 60 s");
                }
                Thread.sleep(5);
            }
        }
    }

    static void channelServer(ServerSocketChannel server, AtomicInteger handled) {
        try {
            for (int i = 0; ; i++) {
                if (i % 2 == 0) {
                    server.accept().close();
                } else {
                    server.socket().accept().close();
                }
                handled.incrementAndGet();
            }
        } catch (IOException e) {
            // closed
        }
    }

    static void channelBlocking(InetSocketAddress to) throws IOException {
        try (SocketChannel c = SocketChannel.open(to)) {
            connects++;
        }
    }

    static void channelNonBlocking(InetSocketAddress to) throws Exception {
        try (SocketChannel c = SocketChannel.open()) {
            c.configureBlocking(false);
            boolean done = c.connect(to);
            while (!done) {
                Thread.sleep(1);
                done = c.finishConnect();
            }
            connects++;
            for (int i = 0; i < 3; i++) {
                c.finishConnect(); // keeps returning true: one connection all the same
            }
        }
    }

    static void channelAdaptor(InetSocketAddress to) throws IOException {
        try (SocketChannel c = SocketChannel.open()) {
            c.socket().connect(to, 2_000);
            connects++;
        }
    }

    // ---- AsynchronousSocketChannel -------------------------------------------------------------------

    static void async() throws Exception {
        try (Loopback server = new Loopback()) {
            System.out.println("port\t" + server.port());
            for (int i = 0; i < 2; i++) {
                asyncFuture(server.address());
                asyncHandler(server.address());
            }
            server.awaitHandled(4);
        }
        asyncRefused(closedPort());
    }

    static void asyncFuture(InetSocketAddress to) throws Exception {
        try (AsynchronousSocketChannel c = AsynchronousSocketChannel.open()) {
            c.connect(to).get(10, TimeUnit.SECONDS);
            connects++;
        }
    }

    static void asyncHandler(InetSocketAddress to) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        try (AsynchronousSocketChannel c = AsynchronousSocketChannel.open()) {
            c.connect(to, null, new CompletionHandler<Void, Void>() {
                @Override
                public void completed(Void result, Void attachment) {
                    done.countDown();
                }

                @Override
                public void failed(Throwable exc, Void attachment) {
                    failed.set(exc);
                    done.countDown();
                }
            });
            if (!done.await(10, TimeUnit.SECONDS) || failed.get() != null) {
                throw new IllegalStateException("async connect failed", failed.get());
            }
            connects++;
        }
    }

    static void asyncRefused(InetSocketAddress to) throws Exception {
        try (AsynchronousSocketChannel c = AsynchronousSocketChannel.open()) {
            c.connect(to).get(10, TimeUnit.SECONDS);
            connects++;
        } catch (java.util.concurrent.ExecutionException e) {
            failures++;
            System.out.println("observed\t" + e.getCause());
        }
    }

    // ---- SSL ------------------------------------------------------------------------------------------

    static void ssl() throws Exception {
        try (Loopback server = new Loopback()) {
            System.out.println("port\t" + server.port());
            SSLSocketFactory factory = (SSLSocketFactory) SSLSocketFactory.getDefault();
            sslDirect(factory, server);
            sslLayered(factory, server);
            server.awaitHandled(2);
        }
    }

    static void sslDirect(SSLSocketFactory factory, Loopback server) throws IOException {
        Socket s = factory.createSocket("127.0.0.1", server.port());
        connects++;
        s.close();
    }

    static void sslLayered(SSLSocketFactory factory, Loopback server) throws IOException {
        Socket plain = new Socket("127.0.0.1", server.port());
        connects++;
        Socket wrapped = factory.createSocket(plain, "127.0.0.1", server.port(), true); // not a new connection
        wrapped.close(); // closes the plain socket, once
    }

    // ---- failures -------------------------------------------------------------------------------------

    static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
        }
    }

    static void failures() throws Exception {
        InetSocketAddress closed = closedPort();
        for (int i = 0; i < 2; i++) {
            refused(closed);
        }
        int timeouts = timeouts();
        System.out.println("expect\ttimedOut\t" + timeouts);
    }

    static void refused(InetSocketAddress to) {
        try (Socket s = new Socket()) {
            s.connect(to);
            connects++;
        } catch (IOException e) {
            failures++;
        }
    }

    /** A listener that never accepts: once its queue is full the kernel drops SYNs and connects time out. */
    static int timeouts() throws IOException {
        int timeouts = 0;
        List<Socket> held = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            for (int i = 0; i < 8 && timeouts == 0; i++) {
                Socket s = new Socket();
                held.add(s);
                try {
                    s.connect(full.getLocalSocketAddress(), 300);
                    connects++;
                } catch (SocketTimeoutException e) {
                    timeouts++;
                    failures++;
                }
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        return timeouts;
    }

    // ---- concurrency ---------------------------------------------------------------------------------

    static void concurrent(int threads, int perThread) throws Exception {
        try (Loopback server = new Loopback()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int n = 0;
                    for (int i = 0; i < perThread; i++) {
                        switch ((id + i) % 4) {
                            case 0: socketConstructor(server); break;
                            case 1: channelBlocking(server.address()); break;
                            case 2: channelNonBlocking(server.address()); break;
                            default: asyncFuture(server.address()); break;
                        }
                        n++;
                    }
                    return n;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            connects = total;
            server.awaitHandled(total);
        }
    }

    static void virtual() throws Exception {
        try (Loopback server = new Loopback()) {
            ExecutorService pool = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                    .invoke(null);
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        virtualConnect(server);
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            connects = 200;
            server.awaitHandled(200);
        }
    }

    static void virtualConnect(Loopback server) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            if (!Thread.currentThread().getClass().getName().contains("Virtual")) {
                throw new IllegalStateException("not a virtual thread: " + Thread.currentThread());
            }
        }
    }

    // ---- address families and other protocols --------------------------------------------------------

    static void ipv6() throws Exception {
        try (Loopback server = new Loopback(InetAddress.getByName("::1"))) {
            System.out.println("port\t" + server.port());
            ipv6Connect(server);
            ipv6Channel(server);
            server.awaitHandled(2);
        }
    }

    static void ipv6Connect(Loopback server) throws IOException {
        try (Socket s = new Socket("::1", server.port())) {
            connects++;
        }
    }

    static void ipv6Channel(Loopback server) throws IOException {
        try (SocketChannel c = SocketChannel.open(new InetSocketAddress("::1", server.port()))) {
            connects++;
        }
    }

    static void notTcp() throws Exception {
        Path dir = Files.createTempDirectory("ephemera-uds");
        Path path = dir.resolve("s.sock");
        try (ServerSocketChannel uds = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            uds.bind(UnixDomainSocketAddress.of(path));
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
                 SocketChannel accepted = uds.accept()) {
                client.write(java.nio.ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)));
                accepted.read(java.nio.ByteBuffer.allocate(1));
            }
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            byte[] b = {1, 2, 3};
            udp.send(new DatagramPacket(b, b.length, peer.getLocalSocketAddress()));
            peer.receive(new DatagramPacket(new byte[3], 3));
            udp.connect(peer.getLocalSocketAddress());
        }
    }

    // ---- CLOSE_WAIT -----------------------------------------------------------------------------------

    /**
     * The server closes; the application never does: the connection sits in CLOSE_WAIT here. Waits
     * until a census pass saw it, and for at least 2 s (past {@code leak.age=1s}).
     */
    static void closeWait() throws Exception {
        try (Loopback server = new Loopback()) {
            long opened = System.nanoTime();
            keptOpen = closeWaitOpen(server);
            connects = 1;
            server.awaitHandled(1);
            awaitAttribute("OwnedCloseWaitCount", 1);
            long left = TimeUnit.SECONDS.toNanos(2) - (System.nanoTime() - opened);
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        }
    }

    /** Waits, at most 60 s, until the agent's MXBean shows {@code attribute} at {@code atLeast} or more. */
    static void awaitAttribute(String attribute, long atLeast) throws Exception {
        javax.management.ObjectName name = new javax.management.ObjectName(AuditDump.NAME);
        if (!AuditDump.awaitRegistered(60_000)) {
            throw new IllegalStateException("the agent's MXBean was not registered within 60 s");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long seen;
        while ((seen = (Long) java.lang.management.ManagementFactory.getPlatformMBeanServer()
                .getAttribute(name, attribute)) < atLeast) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(attribute + " still " + seen + " after 60 s; awaited " + atLeast);
            }
            System.gc(); // lets the agent notice dropped sockets, for LeakCount
            Thread.sleep(50);
        }
    }

    static Socket closeWaitOpen(Loopback server) throws IOException {
        return new Socket("127.0.0.1", server.port());
    }

    // ---- leaks ----------------------------------------------------------------------------------------

    static void leak() throws Exception {
        try (Loopback server = new Loopback()) {
            leakSocket(server);
            leakChannel(server);
            connects = 2;
            server.awaitHandled(2);
            awaitAttribute("LeakCount", 2);
        }
    }

    static void leakSocket(Loopback server) throws IOException {
        Socket dropped = new Socket("127.0.0.1", server.port());
        Reference.reachabilityFence(dropped);
    }

    static void leakChannel(Loopback server) throws IOException {
        SocketChannel dropped = SocketChannel.open(server.address());
        Reference.reachabilityFence(dropped);
    }

    // ---- network-namespace scenarios ---------------------------------------------------------------

    /** Client-first closes to one destination until the narrowed port range runs out. */
    static void exhaust() throws Exception {
        try (Loopback server = new Loopback(InetAddress.getByName("127.0.0.1"), true)) {
            for (int i = 0; i < 100; i++) {
                try {
                    exhaustOne(server);
                    connects++;
                } catch (java.net.BindException e) {
                    failures++;
                    System.out.println("observed\t" + e);
                    if (failures >= 2) {
                        break;
                    }
                }
            }
            server.awaitHandled(connects);
        }
    }

    static void exhaustOne(Loopback server) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoLinger(false, 0);
        }
    }

    /** No route in an empty namespace: the kernel refuses at once and no packet leaves. */
    static void unreachable() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("10.255.255.1", 80), 1_000);
            connects++;
        } catch (IOException e) {
            failures++;
            System.out.println("observed\t" + e);
        }
    }

    // ---- dynamic attach and remote JMX -----------------------------------------------------------

    /** Opens a connection, waits to be attached to, then connects more and closes the first. */
    static void attachTarget() throws Exception {
        try (Loopback server = new Loopback()) {
            Socket before = new Socket("127.0.0.1", server.port());
            System.out.println("READY\t" + ProcessHandle.current().pid());
            System.out.flush();
            waitFor("GO");
            for (int i = 0; i < 3; i++) {
                afterAttach(server);
            }
            before.close(); // opened before the attach: its close must not drive a count negative
            server.awaitHandled(4);
        }
    }

    /**
     * A connection opened before the attach and still open: preexisting, never unseen. Waits
     * (generously) for a census after the attach to count it, then dumps with it still open.
     */
    static void attachHeld() throws Exception {
        try (Loopback server = new Loopback()) {
            Socket before = new Socket("127.0.0.1", server.port());
            System.out.println("READY\t" + ProcessHandle.current().pid());
            System.out.flush();
            waitFor("GO");
            javax.management.ObjectName name = new javax.management.ObjectName(AuditDump.NAME);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (AuditDump.awaitRegistered(100) && ((Number) java.lang.management.ManagementFactory
                        .getPlatformMBeanServer().getAttribute(name, "PreexistingConnections")).longValue() > 0) {
                    break;
                }
                Thread.sleep(50);
            }
            AuditDump.print(System.out);
            before.close();
        }
        System.exit(0);
    }

    static void afterAttach(Loopback server) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            connects++;
        }
    }

    static void idle() throws Exception {
        try (Loopback server = new Loopback()) {
            for (int i = 0; i < 4; i++) {
                socketConstructor(server);
            }
            server.awaitHandled(4);
            System.out.println("READY\t" + ProcessHandle.current().pid());
            System.out.flush();
            waitFor("STOP");
        }
    }

    /** The agent is running when its hook is in the bootstrap class loader. */
    static boolean agentRunning() {
        try {
            Class.forName("io.ephemera.hook.Hook", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static void waitFor(String word) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().equals(word)) {
                return;
            }
        }
        throw new IllegalStateException("stdin closed before " + word);
    }
}
