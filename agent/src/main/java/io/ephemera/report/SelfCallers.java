package io.ephemera.report;

import io.ephemera.track.CallSite;
import io.ephemera.track.Connection;
import io.ephemera.track.Destination;
import io.ephemera.track.Peer;
import io.ephemera.track.Tracker;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which call sites of this JVM make the connections an inbound peer is: the sites that connect to
 * the peer's local port on the peer's address (or on loopback, from loopback), each with its share.
 * The share is counted over the connections the agent still holds a record of (open, and the last
 * {@code closes.max} closed); where none is left, over the sites' connects.
 */
final class SelfCallers {

    private final List<CallSite> sites;
    /** Outbound connections by destination, then by site: read once per report. */
    private final Map<Destination, Map<CallSite, long[]>> records = new IdentityHashMap<>();

    SelfCallers(List<CallSite> sites, Tracker tracker) {
        this.sites = sites;
        count(tracker.connections());
        count(tracker.recentCloses());
    }

    private void count(List<Connection> connections) {
        for (Connection c : connections) {
            if (!c.inbound() && c.destination() != null && c.site() != null) {
                records.computeIfAbsent(c.destination(), d -> new IdentityHashMap<>())
                        .computeIfAbsent(c.site(), s -> new long[1])[0]++;
            }
        }
    }

    /** The sites that are {@code p}, largest share first; empty when the peer is not this JVM. */
    List<SelfCaller> of(Peer p) {
        Map<CallSite, long[]> counts = new IdentityHashMap<>();
        Map<CallSite, long[]> fallback = new IdentityHashMap<>();
        for (CallSite s : sites) {
            for (Destination d : s.destinationList()) {
                if (!same(d, p)) {
                    continue;
                }
                long[] n = records.getOrDefault(d, Map.of()).get(s);
                if (n != null) {
                    counts.computeIfAbsent(s, k -> new long[1])[0] += n[0];
                }
                fallback.computeIfAbsent(s, k -> new long[1])[0] = s.stats().connects();
            }
        }
        Map<CallSite, long[]> used = counts.isEmpty() ? fallback : counts;
        long total = 0;
        for (long[] n : used.values()) {
            total += n[0];
        }
        List<SelfCaller> out = new ArrayList<>();
        for (Map.Entry<CallSite, long[]> e : used.entrySet()) {
            out.add(new SelfCaller(e.getKey(), total == 0 ? 1.0 / used.size() : (double) e.getValue()[0] / total));
        }
        out.sort((a, b) -> a.share() != b.share() ? Double.compare(b.share(), a.share())
                : a.site().key().compareTo(b.site().key()));
        return out;
    }

    /** Whether a connect toward {@code d} reaches {@code p}'s local port, on its address or loopback to loopback. */
    private static boolean same(Destination d, Peer p) {
        return d.address() != null && d.port() == p.localPort() && (d.address().equals(p.address())
                || d.address().isLoopbackAddress() && p.address().isLoopbackAddress());
    }
}
