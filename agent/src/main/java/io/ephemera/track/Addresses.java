package io.ephemera.track;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Formats endpoints the way operators read them: {@code 127.0.0.1:8080}, IPv6 in brackets and
 * compressed as RFC 5952 says ({@code [::1]:8080}), an IPv4-mapped IPv6 address as IPv4.
 */
public final class Addresses {

    private Addresses() {
    }

    /** {@code address:port}, IPv6 in brackets. */
    public static String endpoint(InetAddress address, int port) {
        String host = host(address);
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /** The address alone: dotted IPv4, or compressed lower-case IPv6 with its scope. */
    public static String host(InetAddress address) {
        if (address == null) {
            return "?";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4(b, 0);
        }
        if (isMappedIpv4(b)) {
            return ipv4(b, 12);
        }
        String text = ipv6(b);
        if (address instanceof Inet6Address) {
            Inet6Address a6 = (Inet6Address) address;
            if (a6.getScopedInterface() != null) {
                return text + "%" + a6.getScopedInterface().getName();
            }
            if (a6.getScopeId() != 0) {
                return text + "%" + a6.getScopeId();
            }
        }
        return text;
    }

    /**
     * The IPv4 address an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) stands for, else
     * {@code address} itself: the kernel connects both to the same place.
     */
    static InetAddress unmapped(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            if (isMappedIpv4(b)) {
                try {
                    return InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16));
                } catch (java.net.UnknownHostException e) {
                    throw new AssertionError(e); // four bytes are always an IPv4 address
                }
            }
        }
        return address;
    }

    static boolean isMappedIpv4(byte[] b) {
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    static String ipv4(byte[] b, int off) {
        return (b[off] & 0xff) + "." + (b[off + 1] & 0xff) + "." + (b[off + 2] & 0xff) + "." + (b[off + 3] & 0xff);
    }

    /** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as {@code ::}. */
    static String ipv6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
