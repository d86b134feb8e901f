package io.ephemera.track;

import io.ephemera.config.Config;
import io.ephemera.hook.Hook;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Inbound connections per peer, driven as the hook drives them, on real loopback sockets. */
class PeersTrackingTest {

    private static Tracker tracker(String args) {
        return new Tracker(Config.parse(args, new Properties()), Tracker.class.getProtectionDomain().getCodeSource());
    }

    @Test
    void eachAcceptedConnectionEndsOneWayForItsPeerAndPort() throws Exception {
        Tracker t = tracker("");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 10, loopback)) {
            for (Peer.Ending how : Peer.Ending.values()) {
                try (Socket client = new Socket(loopback, server.getLocalPort()); Socket accepted = server.accept()) {
                    t.accepted(accepted, Hook.API_SOCKET);
                    if (how != Peer.Ending.CLOSED_HERE) {
                        t.peerEnded(accepted, how == Peer.Ending.RESET_BY_PEER);
                        t.peerEnded(accepted, false); // a second end of stream changes nothing
                    }
                    t.closed(accepted, Hook.API_SOCKET, null);
                }
            }
            List<Peer> peers = t.peers();
            assertEquals(1, peers.size());
            Peer p = peers.get(0);
            assertEquals("127.0.0.1 -> :" + server.getLocalPort(), p.key());
            assertEquals(3, p.accepts());
            assertEquals(0, p.open());
            for (Peer.Ending how : Peer.Ending.values()) {
                assertEquals(1, p.ended(how), how.toString());
            }
            assertEquals(3, p.ends());
            assertEquals(3, t.acceptCount());
            assertEquals(3, t.closeCount());
        }
    }

    @Test
    void beyondTheCapPeersShareTheOtherRow() throws Exception {
        Tracker t = tracker("destinations.max=1");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket a = new ServerSocket(0, 10, loopback); ServerSocket b = new ServerSocket(0, 10, loopback)) {
            for (ServerSocket server : List.of(a, b, b)) {
                try (Socket client = new Socket(loopback, server.getLocalPort()); Socket accepted = server.accept()) {
                    t.accepted(accepted, Hook.API_SOCKET);
                    t.closed(accepted, Hook.API_SOCKET, null);
                }
            }
        }
        List<Peer> peers = t.peers();
        assertEquals(2, peers.size(), peers.toString());
        assertEquals(1, peers.get(0).accepts());
        assertEquals(Peers.OTHER_KEY, peers.get(1).key());
        assertEquals(2, peers.get(1).accepts());
        assertEquals(2, peers.get(1).ended(Peer.Ending.CLOSED_HERE));
    }

    @Test
    void resetForgetsThePeers() throws Exception {
        Tracker t = tracker("");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 10, loopback);
             Socket client = new Socket(loopback, server.getLocalPort()); Socket accepted = server.accept()) {
            t.accepted(accepted, Hook.API_SOCKET);
            t.reset();
            t.closed(accepted, Hook.API_SOCKET, null);
        }
        assertEquals(List.of(), t.peers());
    }
}
