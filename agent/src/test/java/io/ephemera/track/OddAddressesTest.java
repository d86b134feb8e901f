package io.ephemera.track;

import io.ephemera.config.Config;
import io.ephemera.hook.Hook;
import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Addresses as the hook hands them over: unresolved, scoped, IPv4-mapped, or none at all. */
class OddAddressesTest {

    private final Tracker tracker = new Tracker(Config.parse("", new Properties()),
            Tracker.class.getProtectionDomain().getCodeSource());

    private static InetAddress mapped(String v4) throws UnknownHostException {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName(v4).getAddress(), 0, b, 12, 4);
        return Inet6Address.getByAddress(null, b, -1);
    }

    private void connectAndClose(InetSocketAddress to) {
        Socket s = new Socket();
        tracker.connected(s, Hook.API_SOCKET, to, false);
        tracker.closed(s, Hook.API_SOCKET, null);
    }

    @Test
    void anIpv4MappedAddressIsItsIpv4Destination() throws UnknownHostException {
        connectAndClose(new InetSocketAddress("127.0.0.1", 8080));
        connectAndClose(new InetSocketAddress(mapped("127.0.0.1"), 8080));
        assertEquals(1, tracker.destinations().size(), "one destination, not two rows with one key");
        assertEquals("127.0.0.1:8080", tracker.destinations().get(0).key());
        assertEquals(2, tracker.destinations().get(0).stats().connects());
    }

    @Test
    void aScopedAddressKeepsItsScope() throws UnknownHostException {
        InetAddress linkLocal = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 7);
        connectAndClose(new InetSocketAddress(linkLocal, 443));
        assertEquals("[fe80::1%7]:443", tracker.destinations().get(0).key());
    }

    @Test
    void unresolvedMissingAndNonInetAddressesAreIgnoredWithoutAnError() {
        Socket s = new Socket();
        tracker.connected(s, Hook.API_SOCKET, InetSocketAddress.createUnresolved("no-such-host.invalid", 80), false);
        tracker.connectFailed(s, Hook.API_SOCKET, InetSocketAddress.createUnresolved("no-such-host.invalid", 80),
                new UnknownHostException(), false);
        tracker.connectFailed(s, Hook.API_SOCKET, null, new IllegalArgumentException(), false);
        tracker.connectPending(s, Hook.API_CHANNEL, java.net.UnixDomainSocketAddress.of("/tmp/x"), false);
        tracker.closed(s, Hook.API_SOCKET, null);
        assertEquals(0, tracker.connectCount() + tracker.failureCount() + tracker.closeCount());
        assertEquals(0, tracker.destinations().size());
        assertEquals(0, tracker.agentErrorCount());
    }
}
