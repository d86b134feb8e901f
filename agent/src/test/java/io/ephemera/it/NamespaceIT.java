package io.ephemera.it;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failures only a narrowed or empty network can produce, in a fresh network namespace. */
class NamespaceIT {

    private static final String WORKLOAD = "io.ephemera.it.app.Workload";

    @Test
    void exhaustedPortRangeIsCountedAsAddressNotAvailable() {
        NetworkNamespace.assumeAvailable();
        ForkedJvm.Result r = ForkedJvm.withAgent()
                .under(NetworkNamespace.with("net.ipv4.ip_local_port_range=40000 40005", "net.ipv4.tcp_tw_reuse=0"))
                .run(WORKLOAD, "exhaust");
        Audit a = r.audit();
        assertTrue(r.out.contains("Cannot assign requested address"), r.out);
        assertEquals(ConnectionsIT.expected(r, "connects"), a.count("ConnectCount"));
        // six ports, one taken by the listener; the kernel's search may skip one more
        assertTrue(a.count("ConnectCount") >= 3 && a.count("ConnectCount") <= 5, a.attributes.toString());
        assertEquals(2, a.count("AddressNotAvailableCount"));
        assertEquals(2, a.siteCount("io.ephemera.it.app.Workload.exhaustOne(", "failures"));
        a.assertBalanced();
    }

    @Test
    void noRouteIsUnreachable() {
        NetworkNamespace.assumeAvailable();
        ForkedJvm.Result r = ForkedJvm.withAgent().under(NetworkNamespace.with()).run(WORKLOAD, "unreachable");
        Audit a = r.audit();
        assertEquals("1", a.rows("FailureCounts").get("unreachable").get("value"), r.out);
        assertEquals("1", a.destination("10.255.255.1:80").get("failures"));
    }
}
