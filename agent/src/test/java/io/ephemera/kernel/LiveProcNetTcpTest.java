package io.ephemera.kernel;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** This JVM's own loopback connection, found in the live kernel tables. */
class LiveProcNetTcpTest {

    private static final Path PROC = Path.of("/proc");

    private static KernelSocket find(List<KernelSocket> sockets, InetAddress local, int localPort, int remotePort) {
        long hi = KernelSocket.hi(local);
        long lo = KernelSocket.lo(local);
        for (KernelSocket s : sockets) {
            if (s.localPort() == localPort && s.remotePort() == remotePort && s.localHi() == hi && s.localLo() == lo) {
                return s;
            }
        }
        return null;
    }

    @Test
    void bothEndsOfALoopbackConnectionAreEstablishedAndOurs() throws Exception {
        assumeTrue(Files.isReadable(PROC.resolve("net/tcp6")), "no /proc/net/tcp6 here");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(loopback, 0));
            try (Socket client = new Socket(loopback, server.getLocalPort());
                 Socket accepted = server.accept()) {
                // a dual-stack JVM lists IPv4 sockets in tcp6 as ::ffff:a.b.c.d; with
                // -Djava.net.preferIPv4Stack=true they are in tcp: read both
                List<KernelSocket> sockets = new ArrayList<>();
                ProcNetTcpParser parser = new ProcNetTcpParser();
                TcpScan tcp6 = parser.scan(PROC.resolve("net/tcp6"), ProcNetTcpParser.collectInto(sockets));
                TcpScan tcp = parser.scan(PROC.resolve("net/tcp"), ProcNetTcpParser.collectInto(sockets));
                assertTrue(tcp6.available(), String.valueOf(tcp6.error()));
                assertEquals(0, tcp6.malformedLines());
                assertEquals(0, tcp.malformedLines());

                KernelSocket clientEnd = find(sockets, client.getLocalAddress(), client.getLocalPort(), server.getLocalPort());
                KernelSocket serverEnd = find(sockets, accepted.getLocalAddress(), server.getLocalPort(), client.getLocalPort());
                KernelSocket listener = find(sockets, server.getInetAddress(), server.getLocalPort(), 0);
                assertNotNull(clientEnd, "client end in " + sockets);
                assertNotNull(serverEnd, "server end in " + sockets);
                assertNotNull(listener, "listener in " + sockets);
                assertSame(TcpState.ESTABLISHED, clientEnd.state());
                assertSame(TcpState.ESTABLISHED, serverEnd.state());
                assertSame(TcpState.LISTEN, listener.state());
                assertEquals(loopback, clientEnd.remoteAddress());
                assertEquals(KernelSocket.lo(accepted.getInetAddress()), serverEnd.remoteLo());

                SocketInodes ours = SocketInodes.ofSelf(PROC);
                assertTrue(ours.available(), String.valueOf(ours.error()));
                assertTrue(ours.contains(clientEnd.inode()), "client inode " + clientEnd.inode());
                assertTrue(ours.contains(serverEnd.inode()), "server inode " + serverEnd.inode());
                assertTrue(ours.contains(listener.inode()), "listener inode " + listener.inode());
            }
        }
    }
}
