package io.ephemera.kernel;

import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelSocketTest {

    @Test
    void ipv4IsStoredInItsMappedForm() throws Exception {
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        assertEquals(0L, KernelSocket.hi(v4));
        assertEquals(0x0000_FFFF_7F00_0001L, KernelSocket.lo(v4));
        assertTrue(KernelSocket.isMappedIpv4(KernelSocket.hi(v4), KernelSocket.lo(v4)));
    }

    @Test
    void aMappedInet6AddressGivesTheSameLongsAsItsIpv4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};
        // Inet6Address.getByAddress keeps the IPv6 class, unlike InetAddress.getByAddress
        InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);
        assertInstanceOf(Inet6Address.class, v6);
        InetAddress v4 = InetAddress.getByName("10.1.2.3");
        assertEquals(KernelSocket.hi(v4), KernelSocket.hi(v6));
        assertEquals(KernelSocket.lo(v4), KernelSocket.lo(v6));
    }

    @Test
    void ipv6KeepsAllSixteenBytes() throws Exception {
        InetAddress a = InetAddress.getByName("2001:db8::ff00:42:8329");
        assertEquals(0x2001_0DB8_0000_0000L, KernelSocket.hi(a));
        assertEquals(0x0000_FF00_0042_8329L, KernelSocket.lo(a));
        assertEquals(a, KernelSocket.address(KernelSocket.hi(a), KernelSocket.lo(a)));
        InetAddress loopback6 = InetAddress.getByName("::1");
        assertEquals(0L, KernelSocket.hi(loopback6));
        assertEquals(1L, KernelSocket.lo(loopback6));
        assertFalse(KernelSocket.isMappedIpv4(0, 1));
    }

    @Test
    void addressesComeBackAsJavaAddresses() throws Exception {
        InetAddress v4 = InetAddress.getByName("192.168.1.200");
        InetAddress v6 = InetAddress.getByName("::1");
        KernelSocket s = new KernelSocket(KernelSocket.hi(v4), KernelSocket.lo(v4), 40000,
                KernelSocket.hi(v6), KernelSocket.lo(v6), 443, TcpState.ESTABLISHED, 0, 0, 1000, 77);
        assertInstanceOf(Inet4Address.class, s.localAddress());
        assertEquals(v4, s.localAddress());
        assertEquals(v6, s.remoteAddress());
        assertTrue(s.isIpv4());
        assertEquals("ESTABLISHED 192.168.1.200:40000 -> [0:0:0:0:0:0:0:1]:443 tr=0 when=0ms uid=1000 inode=77",
                s.toString());
    }

    @Test
    void socketsCompareByValue() {
        KernelSocket a = new KernelSocket(0, 1, 2, 3, 4, 5, TcpState.LISTEN, 0, 0, 0, 9);
        KernelSocket b = new KernelSocket(0, 1, 2, 3, 4, 5, TcpState.LISTEN, 0, 0, 0, 9);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new KernelSocket(0, 1, 2, 3, 4, 6, TcpState.LISTEN, 0, 0, 0, 9));
    }
}
