package io.ephemera.track;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AddressesTest {

    private static String ep(String host, int port) throws UnknownHostException {
        return Addresses.endpoint(InetAddress.getByName(host), port);
    }

    @Test
    void ipv4() throws UnknownHostException {
        assertEquals("127.0.0.1:8080", ep("127.0.0.1", 8080));
        assertEquals("10.0.0.5:80", ep("10.0.0.5", 80));
    }

    @Test
    void ipv6InBracketsCompressed() throws UnknownHostException {
        assertEquals("[::1]:8080", ep("::1", 8080));
        assertEquals("[::]:1", ep("::", 1));
        assertEquals("[2001:db8::1]:443", ep("2001:0db8:0000:0000:0000:0000:0000:0001", 443));
        assertEquals("[2001:db8:0:1:1:1:1:1]:443", ep("2001:db8:0:1:1:1:1:1", 443));
        assertEquals("[2001:db8::1:0:0:1]:443", ep("2001:db8:0:0:1:0:0:1", 443));
        assertEquals("[fe80::1]:22", ep("fe80::1", 22));
    }

    @Test
    void mappedIpv4ShownAsIpv4() throws UnknownHostException {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        // the JDK already turns a mapped address into an Inet4Address; either way we print IPv4
        assertEquals("127.0.0.1:9", Addresses.endpoint(InetAddress.getByAddress(mapped), 9));
        assertEquals("127.0.0.1", Addresses.ipv4(mapped, 12));
    }

    @Test
    void scopedIpv6KeepsItsScope() throws UnknownHostException {
        InetAddress scoped = java.net.Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3);
        assertEquals("[fe80::1%3]:22", Addresses.endpoint(scoped, 22));
    }
}
