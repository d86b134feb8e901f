package io.ephemera.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Netty's native epoll transport, 4.1 and 4.2, each in a JVM whose class path holds only that
 * version (copied by the build into target/netty/VERSION): the connections it makes and accepts are
 * counted exactly as the JDK's are, with their destinations, failures, peers and TIME_WAIT sockets.
 */
class NettyIT {

    private static final int REQUESTS = 40;
    static final Path NETTY = Path.of(System.getProperty("ephemera.netty.dir", "target/netty")).toAbsolutePath();

    static List<Path> jars(String version) {
        return LibraryPatterns.jarsIn(NETTY.resolve(version));
    }

    @ParameterizedTest(name = "Netty {0}")
    @ValueSource(strings = {"4.1 epoll", "4.2 epoll", "4.2 io_uring", "4.1 nio", "4.2 nio"})
    void connectsAcceptsClosesAndFailuresAreCountedExactly(String versionAndTransport) {
        String version = versionAndTransport.split(" ")[0];
        String transport = versionAndTransport.split(" ")[1];
        ForkedJvm.Result r = ForkedJvm.withAgent("census.interval=1s").classpath(jars(version))
                .run(180, "io.ephemera.it.app.NettyClients", transport, "patterns", Integer.toString(REQUESTS));
        assumeFalse(r.out.startsWith("unavailable\t"), () -> "Netty " + transport + " cannot run here: " + r.out);
        assertCountedExactly(r, transport, "io.netty");
    }

    /**
     * gRPC's copy of Netty, relocated by its build to {@code io.grpc.netty.shaded.io.netty}: the same
     * workload, relocated the same way (its source with the package renamed, compiled here against
     * gRPC's jar), is seen the same.
     */
    @Test
    void shadedCopiesAreSeen(@TempDir Path classes) throws IOException {
        Path grpc = jars("grpc-shaded").get(0);
        relocate(classes, grpc);
        ForkedJvm.Result r = ForkedJvm.withAgent("census.interval=1s").classpath(List.of(classes, grpc))
                .run(180, "io.ephemera.it.app.ShadedNettyClients", "epoll", "patterns", Integer.toString(REQUESTS));
        assumeFalse(r.out.startsWith("unavailable\t"), () -> "gRPC's epoll cannot run here: " + r.out);
        assertCountedExactly(r, "epoll", "io.grpc.netty.shaded.io.netty");
    }

    private static void relocate(Path out, Path grpc) throws IOException {
        Path sources = Path.of(System.getProperty("ephemera.test.sources", "src/test/java"));
        String text = Files.readString(sources.resolve("io/ephemera/it/app/NettyClients.java"))
                .replace("io.netty.", "io.grpc.netty.shaded.io.netty.")
                .replace("NettyClients", "ShadedNettyClients")
                .replace("UringTransport", "ShadedNoUring");
        Path src = Files.createDirectories(out.resolve("src"));
        Files.writeString(src.resolve("ShadedNettyClients.java"), text);
        String shaded = "io.grpc.netty.shaded.io.netty.channel.";
        Files.writeString(src.resolve("ShadedNoUring.java"), "package io.ephemera.it.app;\n"
                + "final class ShadedNoUring {\n"
                + "  static Throwable unavailabilityCause() { return null; }\n"
                + "  static " + shaded + "EventLoopGroup group() { throw new UnsupportedOperationException(); }\n"
                + "  static Class<? extends " + shaded + "ServerChannel> serverChannel() { return null; }\n"
                + "  static Class<? extends " + shaded + "Channel> clientChannel() { return null; }\n"
                + "}\n");
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = javac.run(null, null, err, "-nowarn", "-proc:none", "-d", out.toString(), "-cp",
                ForkedJvm.TEST_CLASSES + java.io.File.pathSeparator + grpc,
                src.resolve("ShadedNettyClients.java").toString(), src.resolve("ShadedNoUring.java").toString());
        assertEquals(0, exit, err.toString());
    }

    /**
     * Each connect the event loop made is the application method's that asked for it: the stack
     * that called {@code Bootstrap.connect} or {@code Channel.connect}, then the event loop's.
     */
    static void assertAttributedToTheApplication(Audit a, String clients, int requests) {
        String app = "io.ephemera.it.app.";
        Map<String, String> perRequest = a.site(app + clients + ".perRequest(");
        assertEquals(Integer.toString(requests), perRequest.get("connects"), a.rows("CallSites").keySet().toString());
        assertTrue(perRequest.get("stack").contains("--- connected on thread "), perRequest.get("stack"));
        assertTrue(perRequest.get("stack").indexOf("bootstrap.Bootstrap.connect(") < perRequest.get("stack")
                .indexOf("--- connected on thread "), perRequest.get("stack"));
        assertEquals("1", a.site(app + clients + ".shared(").get("connects"));
        assertEquals("1", a.site(app + clients + ".refused(").get("failures"));
        assertEquals("1", a.site(app + clients + ".channelConnect(").get("connects"));
        for (Map.Entry<String, Map<String, String>> site : a.rows("CallSites").entrySet()) {
            if (!site.getValue().get("connects").equals("0") || !site.getValue().get("failures").equals("0")) {
                assertTrue(site.getKey().startsWith(app), "a connect attributed to the library: " + site.getKey());
            }
        }
    }

    private static void assertCountedExactly(ForkedJvm.Result r, String transport, String copy) {
        Audit a = r.audit();
        long connects = ConnectionsIT.expected(r, "connects");
        assertEquals(REQUESTS + 2, connects, "what the application did");
        assertEquals(connects, a.count("ConnectCount"), r.toString());
        assertEquals(ConnectionsIT.expected(r, "accepts"), a.count("AcceptCount"), "ConnectCount equals the server's accepts");
        assertEquals(connects, a.count("AcceptCount"));
        assertEquals(1, a.count("ConnectFailureCount"));
        assertEquals(Map.of("value", "1"), a.rows("FailureCounts").get("refused"));
        assertEquals(0, a.count("OpenConnections"));
        assertEquals(0, a.count("LeakCount"));
        a.assertBalanced();
        assertEquals(connects, a.sumSites("", "connects"), "every connect has a call site");
        assertEquals(connects, a.sumSites("", "accepts"));
        assertAttributedToTheApplication(a, copy.startsWith("io.grpc") ? "ShadedNettyClients" : "NettyClients", REQUESTS);

        String port = ConnectionsIT.port(r);
        Map<String, String> dest = a.destination("127.0.0.1:" + port);
        assertEquals(Long.toString(connects), dest.get("connects"));
        assertEquals(Long.toString(connects), dest.get("ownedTimeWait"), "the client closed first: TIME_WAIT here, each matched");
        Map<String, String> peer = a.rows("Peers").get("127.0.0.1 -> :" + port);
        assertEquals(Long.toString(connects), peer.get("accepts"), a.rows("Peers").toString());
        assertEquals(Long.toString(connects), peer.get("closedByPeer"), "the server read the client's FIN first");

        assertEquals(0, a.count("UnseenConnections"), "every connection was seen");
        assertEquals("0", dest.get("unseen"));
        assertEquals("", a.attributes.get("MissingHooks"));
        String used = transport.equals("io_uring") ? ".uring." : "." + transport + ".";
        for (Map.Entry<String, Map<String, String>> hook : a.rows("LibraryHooks").entrySet()) {
            String name = hook.getKey();
            if (!name.startsWith("io.netty.")) {
                continue; // another library's hooks (OkHttp, Reactor Netty, gRPC, ...): not loaded by this workload
            }
            String value = hook.getValue().get("value");
            boolean transportSpecific = name.contains(".epoll.") || name.contains(".uring.") || name.contains(".nio.");
            String expected = !transportSpecific || name.contains(used) ? "installed in " + copy : "not loaded";
            if (name.contains("IoUringSocketChannel.<init>(Channel, LinuxSocket)")
                    || transport.equals("nio") && name.contains(".unix.")) {
                expected = value; // loaded with its class, used only without a peer address; or unused by NIO
            }
            assertEquals(expected, value, name);
        }
        assertTrue(a.rows("LibraryHooks").keySet().stream().anyMatch(k -> k.contains(used)));
        assertTrue(r.err.contains("18 of 18 hooks"), r.err);
    }

    /**
     * A transport the hooks cannot see (Netty, left unhooked by a test switch): the census finds its
     * connections among this JVM's sockets and counts each exactly, by destination, with a finding.
     */
    @Test
    void connectionsNoHookSawAreCountedAsUnseen() {
        int held = 7;
        ForkedJvm.Result r = ForkedJvm.withAgent("census.interval=500ms")
                .jvmArg("-Dephemera.test.faults=unhook-libraries").classpath(jars("4.2"))
                .run(180, "io.ephemera.it.app.NettyClients", "epoll", "heldOpen", Integer.toString(held));
        Audit a = r.audit();
        assertEquals(held, ConnectionsIT.expected(r, "accepts"));
        assertEquals(0, a.count("ConnectCount"), "no hook saw them");
        assertEquals(0, a.count("AcceptCount"));
        assertEquals(2 * held, a.count("UnseenConnections"), "each end: the client's and the accepted one");
        assertEquals(0, a.count("PreexistingConnections"));
        String port = ConnectionsIT.port(r);
        assertEquals(Integer.toString(held), a.destination("127.0.0.1:" + port).get("unseen"));
        assertTrue(r.err.contains("finding=unseen dest=127.0.0.1:" + port + " unseen=" + held + " "), r.err);
        assertTrue(r.err.contains("finding=unseen port=" + port + " unseen=" + held + " "), r.err);
        assertTrue(r.err.contains("this transport is not seen"), r.err);
        assertTrue(r.err.contains("18 of 18 hooks"), r.err);
    }
}
