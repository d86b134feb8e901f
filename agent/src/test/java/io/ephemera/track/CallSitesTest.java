package io.ephemera.track;

import io.ephemera.track.lib.FakeClient;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallSitesTest {

    private static CallSites sites(int max, int depth) {
        return new CallSites(max, depth, List.of("io.ephemera.track.lib."),
                CallSites.class.getProtectionDomain().getCodeSource(), Clock.SYSTEM);
    }

    private static CallSite viaLibrary(CallSites sites) {
        return FakeClient.call(sites::current);
    }

    /** Two application callers of one library call: two sites (also used by {@link CallSitesIdentityTest}). */
    static CallSite callerA(CallSites sites) {
        return viaLibrary(sites);
    }

    static CallSite callerB(CallSites sites) {
        return viaLibrary(sites);
    }

    @Test
    void theSameLineIsOneInternedSite() {
        CallSites sites = sites(100, 16);
        CallSite first = null;
        for (int i = 0; i < 5; i++) {
            CallSite s = sites.current();
            if (first == null) {
                first = s;
            }
            assertSame(first, s);
        }
        assertTrue(first.label().startsWith("io.ephemera.track.CallSitesTest.theSameLineIsOneInternedSite(CallSitesTest.java:"),
                first.label());
        assertEquals(first.label(), first.key());
    }

    @Test
    void labelSkipsTheLibraryAndNamesTheApplicationFrame() {
        CallSites sites = sites(100, 16);
        CallSite s = viaLibrary(sites);
        assertTrue(s.label().startsWith("io.ephemera.track.CallSitesTest.viaLibrary(CallSitesTest.java:"), s.label());
        assertTrue(s.stack().contains("io.ephemera.track.lib.FakeClient.inner("), s.stack());
        assertTrue(s.label().matches(".*\\(CallSitesTest\\.java:\\d+\\)"), s.label());
    }

    @Test
    void twoCallersOfTheSameLibraryLineAreTwoSitesWithNumberedKeys() {
        CallSites sites = sites(100, 16);
        CallSite[] a = new CallSite[2];
        CallSite[] b = new CallSite[2];
        for (int i = 0; i < 2; i++) {
            a[i] = callerA(sites);
            b[i] = callerB(sites);
        }
        assertNotSame(a[0], b[0]);
        assertEquals(a[0].label(), b[0].label(), "both are labelled with the line that called the library");
        assertEquals(a[0].label(), a[0].key());
        assertEquals(a[0].label() + " #2", b[0].key());
        assertSame(a[0], a[1]);
        assertSame(b[0], b[1]);
    }

    @Test
    void identityReachesTheApplicationFrameEvenPastTheDepth() {
        CallSites sites = sites(100, 1);
        CallSite a = callerA(sites);
        CallSite b = callerB(sites);
        assertEquals(a.label(), b.label());
        // with depth 1 the identity still extends to the first application frame, not beyond it
        assertSame(a, b);
        assertTrue(a.stack().contains("FakeClient"), a.stack());
    }

    @Test
    void overflowGoesToOneOtherRow() {
        CallSites sites = sites(1, 16);
        CallSite first = callerA(sites);
        CallSite second = callerB(sites);
        assertEquals("io.ephemera.track.CallSitesTest.viaLibrary", first.label().substring(0, first.label().indexOf('(')));
        assertEquals(CallSites.OTHER_KEY, second.key());
        second.stats().opened(false, System.nanoTime(), true);
        assertEquals(2, sites.all().size());
    }

    @Test
    void agentFramesAreNeverTheLabel() {
        CallSites sites = sites(100, 16);
        CallSite s = sites.current();
        assertTrue(!s.stack().contains("io.ephemera.track.CallSites."), s.stack());
    }

    private static CallSite acceptLoop(CallSites sites, int port) {
        return sites.accepting(port);
    }

    @Test
    void acceptsAreToldApartByTheirLocalPortAndSayIt() {
        CallSites sites = sites(100, 16);
        CallSite[] seen = new CallSite[4];
        int[] ports = {8080, 9090, 8080, 9090};
        for (int i = 0; i < ports.length; i++) {
            seen[i] = acceptLoop(sites, ports[i]); // one accept loop, two servers, alternately
        }
        CallSite first = seen[0];
        CallSite second = seen[1];
        assertNotSame(first, second, "two servers whose accept loops share code are two sites");
        assertTrue(first.label().endsWith(" on :8080"), first.label());
        assertTrue(second.label().endsWith(" on :9090"), second.label());
        assertSame(first, seen[2], "the same server again is the same site");
        assertSame(second, seen[3]);
        assertNotSame(first, sites.current(), "a connect from the same code is not an accept");
        CallSite unknownPort = acceptLoop(sites, 0);
        assertTrue(unknownPort.label().matches(".*\\(CallSitesTest\\.java:\\d+\\)"), unknownPort.label());
    }
}
