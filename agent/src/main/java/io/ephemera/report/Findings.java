package io.ephemera.report;

import io.ephemera.analysis.Assessment;
import io.ephemera.analysis.ChurnVerdict;
import io.ephemera.analysis.HoldTime;
import io.ephemera.analysis.PortBudget;
import io.ephemera.config.Config;
import io.ephemera.kernel.KernelView;
import io.ephemera.kernel.Unseen;
import io.ephemera.track.CallSite;
import io.ephemera.track.Connection;
import io.ephemera.track.Destination;
import io.ephemera.track.FailureCause;
import io.ephemera.track.Peer;
import io.ephemera.track.Tracker;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Turns what the tracker counted and the census saw into findings people act on. Pure apart from
 * reading the tracker: every figure comes from one {@link Assessment}, so a report agrees with
 * itself.
 */
public final class Findings {

    private Findings() {
    }

    /** The report as of now. */
    public static Report report(Tracker tracker, KernelView view, Config config) {
        Assessment assessment = new Assessment(view, config);
        List<Finding> findings = new ArrayList<>();
        List<CallSite> sites = tracker.callSites();
        List<Destination> destinations = tracker.destinations();
        Set<CallSite> churning = churn(sites, assessment, findings);
        peerChurn(tracker, sites, churning, assessment, findings);
        exhaustion(destinations, sites, assessment, config, findings);
        unjudged(sites, destinations, assessment, findings);
        addressNotAvailable(sites, view, findings);
        leaks(sites, findings);
        closeWait(sites, assessment, findings);
        longLived(tracker.connections(), config, findings);
        unseen(view, findings);
        return new Report(header(tracker, view, findings.size()), findings);
    }

    private static Map<String, String> header(Tracker t, KernelView view, int findings) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("report", "ephemera");
        h.put("connects", Long.toString(t.connectCount()));
        h.put("failures", Long.toString(t.failureCount()));
        h.put("address_not_available", Long.toString(t.failureCount(FailureCause.ADDRESS_NOT_AVAILABLE)));
        h.put("accepts", Long.toString(t.acceptCount()));
        h.put("closes", Long.toString(t.closeCount()));
        h.put("open", Long.toString(t.openConnections()));
        h.put("leaks", Long.toString(t.leakCount()));
        // the kernel's figures keep their keys whatever was read: what it did not give says unknown
        h.put("time_wait", count(view.timeWait()));
        h.put("owned_time_wait", count(view.ownedTimeWait()));
        h.put("owned_close_wait", count(view.ownedCloseWait()));
        h.put("range", view.portRange().isEmpty() ? LogFmt.UNKNOWN : view.portRange());
        h.put("budget", count(view.portBudget()));
        h.put("tw_reuse", count(view.twReuse()));
        h.put("census", view.available() ? "available" : "unavailable");
        h.put("findings", Integer.toString(findings));
        return h;
    }

    /** The churn findings; returns the sites they are about. */
    private static Set<CallSite> churn(List<CallSite> sites, Assessment a, List<Finding> out) {
        List<Assessment.SiteVerdict> churning = new ArrayList<>();
        for (CallSite s : sites) {
            Assessment.SiteVerdict v = a.site(s);
            if (v.churning()) {
                churning.add(v);
            }
        }
        churning.sort(Comparator.comparingDouble((Assessment.SiteVerdict v) -> v.site().stats().openRatePerSecond(10))
                .reversed());
        for (Assessment.SiteVerdict v : churning) {
            CallSite s = v.site();
            Map<String, String> f = new LinkedHashMap<>();
            Map<String, Object> j = new HashMap<>();
            f.put("site", s.key());
            f.put("dest", v.worst() == null ? "" : v.worst().key());
            rate(s.stats().openRatePerSecond(10), f, j);
            if (v.worst() != null) {
                budgetFields(a.destination(v.worst()).budget(), f, j);
            }
            medianLifetime(s.stats().medianLifetimeMillis(), f, j);
            f.put("owned_time_wait", count(v.kernel().ownedTimeWait()));
            boolean pilingUp = v.churn() == ChurnVerdict.Churn.PILING_UP_OPEN;
            long open = v.recent().openNow();
            long growth = v.recent().openGrowth();
            f.put("connections", pilingUp ? Advice.pilingUp(open) : v.churn().label());
            f.put("open", Long.toString(open));
            f.put("open_growth", Long.toString(growth));
            if (s.bindsFirst()) {
                f.put("budget_scope", "host");
            }
            InetAddress dest = v.worst() == null ? null : v.worst().address();
            f.put("advice", pilingUp ? Advice.pilingUpOpen(s.stack(), a.view(), open, growth)
                    : Advice.churn(s.stack(), a.view(), dest, s.bindsFirst()));
            out.add(new Finding(FindingKind.CHURN, f, j, s.stack()));
        }
        Set<CallSite> about = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Assessment.SiteVerdict v : churning) {
            about.add(v.site());
        }
        return about;
    }

    private static void peerChurn(Tracker tracker, List<CallSite> sites, Set<CallSite> churnFindings, Assessment a,
                                  List<Finding> out) {
        List<Assessment.PeerVerdict> churning = new ArrayList<>();
        Map<Peer, List<SelfCaller>> selves = new IdentityHashMap<>();
        SelfCallers callers = null;
        for (Peer p : tracker.peers()) {
            if (p.address() == null || p.acceptRatePerSecond(ChurnVerdict.WINDOW_SECONDS) < ChurnVerdict.MIN_RATE) {
                continue; // never churning: the records need not be read
            }
            if (callers == null) {
                callers = new SelfCallers(sites, tracker);
            }
            List<SelfCaller> self = callers.of(p);
            Assessment.PeerVerdict v = a.peer(p, p.address().isLoopbackAddress() || !self.isEmpty());
            if (v.churning()) {
                churning.add(v);
                selves.put(p, self);
            }
        }
        churning.sort(Comparator.comparingDouble((Assessment.PeerVerdict v) -> v.peer().acceptRatePerSecond(10))
                .reversed());
        for (Assessment.PeerVerdict v : churning) {
            Peer p = v.peer();
            Map<String, String> f = new LinkedHashMap<>();
            Map<String, Object> j = new HashMap<>();
            f.put("peer", p.host());
            f.put("port", Integer.toString(p.localPort()));
            rate(p.acceptRatePerSecond(10), f, j);
            f.put("accepts", Long.toString(p.accepts()));
            f.put("closed_here", Long.toString(p.ended(Peer.Ending.CLOSED_HERE)));
            f.put("closed_by_peer", Long.toString(p.ended(Peer.Ending.CLOSED_BY_PEER)));
            f.put("reset_by_peer", Long.toString(p.ended(Peer.Ending.RESET_BY_PEER)));
            f.put("owned_time_wait", count(v.ownedTimeWait()));
            double projected = v.projectedPeerPortUse();
            f.put("projected_peer_ports", Double.isNaN(projected) ? LogFmt.UNKNOWN : Long.toString(Math.round(projected)));
            f.put("peer_budget", count(v.peerBudget()));
            f.put("peer_budget_from", v.thisHost() ? "this host" : "assumed");
            f.put("peer_hold", HoldTime.known(v.peerHoldSeconds()) ? LogFmt.seconds(v.peerHoldSeconds()) : LogFmt.UNKNOWN);
            j.put("peer_hold", HoldTime.known(v.peerHoldSeconds()) ? v.peerHoldSeconds() : null);
            medianLifetime(p.medianLifetimeMillis(), f, j);
            List<SelfCaller> self = selves.get(p);
            if (!self.isEmpty()) {
                f.put("from", self.get(0).site().key());
                StringJoiner all = new StringJoiner(", ");
                for (SelfCaller c : self) {
                    all.add(c.describe());
                }
                f.put("from_sites", all.toString());
            }
            f.put("advice", Advice.peerChurn(v, self, churnFindings));
            out.add(new Finding(FindingKind.PEER_CHURN, f, j, ""));
        }
    }

    private static void exhaustion(List<Destination> destinations, List<CallSite> sites, Assessment a, Config config,
                                   List<Finding> out) {
        for (Destination d : destinations) {
            if (d.address() == null) {
                continue;
            }
            PortBudget b = a.destination(d).budget();
            // headroomPercent() is NaN when the budget or the ports in use are unknown: never low
            boolean low = b.budget() > 0 && b.headroomPercent() < config.warnHeadroomShare() * 100.0;
            if (!low && !b.onCourseToExhaustion()) {
                continue;
            }
            Map<String, String> f = new LinkedHashMap<>();
            Map<String, Object> j = new HashMap<>();
            f.put("dest", d.key());
            rate(b.ratePerSecond(), f, j);
            budgetFields(b, f, j);
            f.put("sites", holders(d, sites, a));
            f.put("advice", Advice.exhaustion(a.view(), d.address()));
            out.add(new Finding(FindingKind.EXHAUSTION_RISK, f, j, ""));
        }
    }

    /**
     * {@code hold}, {@code in_use}, {@code budget}, {@code headroom}, {@code eta}: each {@code unknown}
     * where it is; in JSON, seconds, percent and seconds, and null for unknown and for no {@code eta}.
     */
    private static void budgetFields(PortBudget b, Map<String, String> f, Map<String, Object> j) {
        f.put("hold", b.holdKnown() ? LogFmt.seconds(b.holdSeconds()) : LogFmt.UNKNOWN);
        j.put("hold", b.holdKnown() ? b.holdSeconds() : null);
        f.put("in_use", count(b.inUse()));
        f.put("budget", count(b.budget()));
        double headroom = b.headroomPercent();
        f.put("headroom", Double.isNaN(headroom) ? LogFmt.UNKNOWN : LogFmt.decimal(headroom) + "%");
        j.put("headroom", Double.isNaN(headroom) ? null : headroom);
        double eta = b.secondsToExhaustion();
        f.put("eta", Double.isNaN(eta) ? LogFmt.UNKNOWN : eta < 0 ? "none" : LogFmt.seconds(eta));
        j.put("eta", Double.isNaN(eta) || eta < 0 ? null : eta);
    }

    /** {@code rate=15.0/s}; in JSON, per second. */
    private static void rate(double perSecond, Map<String, String> f, Map<String, Object> j) {
        f.put("rate", LogFmt.decimal(perSecond) + "/s");
        j.put("rate", perSecond);
    }

    /** {@code median_lifetime=1.4ms}; in JSON, milliseconds. */
    private static void medianLifetime(double millis, Map<String, String> f, Map<String, Object> j) {
        f.put("median_lifetime", String.format(Locale.ROOT, "%.1fms", millis));
        j.put("median_lifetime", millis);
    }

    /** A count, or {@code unknown} for the -1 of a figure the kernel did not give. */
    static String count(long n) {
        return n < 0 ? LogFmt.UNKNOWN : Long.toString(n);
    }

    /**
     * One line for the verdicts that were not computed because the kernel did not give what they
     * need: the budget test of call sites that connect at least once a second (the lifetime test
     * was still made: a site it flags is a churn finding, with its unknown figures), and the
     * exhaustion test of destinations with connections open or recent. Nothing when every verdict
     * could be made.
     */
    private static void unjudged(List<CallSite> sites, List<Destination> destinations, Assessment a,
                                 List<Finding> out) {
        KernelView view = a.view();
        if (!view.partial()) {
            return;
        }
        int siteCount = 0;
        for (CallSite s : sites) {
            Assessment.SiteVerdict v = a.site(s);
            if (v.budgetUnknown() && !v.churning() && s.stats().openRatePerSecond(10) >= ChurnVerdict.MIN_RATE
                    && s.stats().closes() > 0) {
                siteCount++;
            }
        }
        int destinationCount = 0;
        boolean holdUnknown = false;
        for (Destination d : destinations) {
            if (d.address() == null) {
                continue;
            }
            PortBudget b = a.destination(d).budget();
            boolean active = b.open() > 0 || b.ratePerSecond() > 0;
            holdUnknown |= !b.holdKnown();
            if (active && (!b.budgetKnown() || !b.inUseKnown() || !b.holdKnown() && b.ratePerSecond() > 0)) {
                destinationCount++;
            }
        }
        if (siteCount == 0 && destinationCount == 0) {
            return;
        }
        StringJoiner notComputed = new StringJoiner(",");
        if (siteCount > 0) {
            notComputed.add("churn-by-budget");
        }
        if (destinationCount > 0) {
            notComputed.add(FindingKind.EXHAUSTION_RISK.label());
        }
        StringJoiner unknown = new StringJoiner(",");
        if (view.portBudget() < 0) {
            unknown.add("budget");
        }
        if (!view.available() || view.portRangeLow() < 0) {
            unknown.add("in_use");
        }
        if (holdUnknown) {
            unknown.add("hold");
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("not_computed", notComputed.toString());
        f.put("sites", Integer.toString(siteCount));
        f.put("dests", Integer.toString(destinationCount));
        f.put("unknown", unknown.toString());
        f.put("unread", view.describeUnread());
        f.put("advice", Advice.unjudged());
        out.add(new Finding(FindingKind.UNJUDGED, f, ""));
    }

    /** The sites that reached {@code d}, largest holders of ports first. */
    private static String holders(Destination d, List<CallSite> sites, Assessment a) {
        Map<CallSite, Long> held = new IdentityHashMap<>();
        for (CallSite s : sites) {
            if (s.destinationList().contains(d)) {
                held.put(s, Math.max(0, a.site(s).kernel().ownedTimeWait()) + s.stats().open());
            }
        }
        List<Map.Entry<CallSite, Long>> list = new ArrayList<>(held.entrySet());
        list.sort(Map.Entry.<CallSite, Long>comparingByValue().reversed());
        StringJoiner j = new StringJoiner(", ");
        for (Map.Entry<CallSite, Long> e : list) {
            j.add(e.getKey().key() + " (" + e.getValue() + " ports)");
        }
        return j.toString();
    }

    private static void addressNotAvailable(List<CallSite> sites, KernelView view, List<Finding> out) {
        for (CallSite s : sites) {
            long n = s.stats().failures(FailureCause.ADDRESS_NOT_AVAILABLE);
            if (n > 0) {
                out.add(new Finding(FindingKind.ADDRESS_NOT_AVAILABLE, addressNotAvailableFields(s, n, view), s.stack()));
            }
        }
    }

    static Map<String, String> addressNotAvailableFields(CallSite s, long count, KernelView view) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("site", s.key());
        f.put("dest", s.destinations());
        f.put("count", Long.toString(count));
        f.put("error", "java.net.BindException: Cannot assign requested address");
        List<Destination> reached = s.destinationList();
        // the tcp_tw_reuse advice is for one destination: a site that reached several gets the general one
        InetAddress dest = reached.size() == 1 ? reached.get(0).address() : null;
        f.put("advice", Advice.addressNotAvailable(s.stack(), view, dest));
        return f;
    }

    private static void leaks(List<CallSite> sites, List<Finding> out) {
        for (CallSite s : sites) {
            long n = s.stats().leaks();
            if (n > 0) {
                Map<String, String> f = new LinkedHashMap<>();
                f.put("site", s.key());
                f.put("dest", s.destinations());
                f.put("leaked", Long.toString(n));
                f.put("advice", Advice.leak());
                out.add(new Finding(FindingKind.LEAK, f, s.stack()));
            }
        }
    }

    private static void closeWait(List<CallSite> sites, Assessment a, List<Finding> out) {
        for (CallSite s : sites) {
            long n = a.site(s).kernel().closeWait();
            if (n > 0) {
                Map<String, String> f = new LinkedHashMap<>();
                f.put("site", s.key());
                f.put("dest", s.destinations());
                f.put("close_wait", Long.toString(n));
                f.put("advice", Advice.closeWait());
                out.add(new Finding(FindingKind.CLOSE_WAIT, f, s.stack()));
            }
        }
    }

    private static void longLived(List<Connection> open, Config config, List<Finding> out) {
        long now = System.nanoTime();
        long age = config.leakAgeMillis() * 1_000_000L;
        Map<CallSite, long[]> bySite = new HashMap<>(); // count, oldest age in nanos
        for (Connection c : open) {
            long openNanos = c.openNanos();
            if (openNanos != 0 && c.closeNanos() == 0 && now - openNanos > age) {
                long[] v = bySite.computeIfAbsent(c.site(), k -> new long[2]);
                v[0]++;
                v[1] = Math.max(v[1], now - openNanos);
            }
        }
        for (Map.Entry<CallSite, long[]> e : bySite.entrySet()) {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("site", e.getKey().key());
            f.put("dest", e.getKey().destinations());
            f.put("count", Long.toString(e.getValue()[0]));
            f.put("oldest", LogFmt.seconds(e.getValue()[1] / 1e9));
            f.put("advice", Advice.longLived());
            // in JSON, seconds
            out.add(new Finding(FindingKind.LONG_LIVED, f, Map.of("oldest", e.getValue()[1] / 1e9), e.getKey().stack()));
        }
    }

    /** One finding per destination (and per local port, inbound) with connections no hook saw. */
    private static void unseen(KernelView view, List<Finding> out) {
        Unseen u = view.unseen();
        List<Map.Entry<Destination, Long>> outbound = new ArrayList<>(u.byDestination().entrySet());
        outbound.sort(Map.Entry.<Destination, Long>comparingByValue().reversed()
                .thenComparing(e -> e.getKey().key()));
        for (Map.Entry<Destination, Long> e : outbound) {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("dest", e.getKey().key());
            f.put("unseen", Long.toString(e.getValue()));
            f.put("advice", e.getValue() + " TCP connection(s) of this JVM to " + e.getKey().key()
                    + " were opened by a transport the agent does not see (a native or JNI client it does not hook,"
                    + " e.g. Netty's io_uring): no call site, lifetime or failure of theirs is counted; this transport"
                    + " is not seen");
            out.add(new Finding(FindingKind.UNSEEN, f, ""));
        }
        List<Map.Entry<Integer, Long>> inbound = new ArrayList<>(u.inboundByPort().entrySet());
        inbound.sort(Map.Entry.comparingByKey());
        for (Map.Entry<Integer, Long> e : inbound) {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("port", Integer.toString(e.getKey()));
            f.put("unseen", Long.toString(e.getValue()));
            f.put("advice", e.getValue() + " inbound TCP connection(s) on :" + e.getKey()
                    + " were accepted by a transport the agent does not see: no peer or ending of theirs is counted;"
                    + " this transport is not seen");
            out.add(new Finding(FindingKind.UNSEEN, f, ""));
        }
    }
}
