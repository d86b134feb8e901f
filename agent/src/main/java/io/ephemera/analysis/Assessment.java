package io.ephemera.analysis;

import io.ephemera.config.Config;
import io.ephemera.kernel.KernelView;
import io.ephemera.track.CallSite;
import io.ephemera.track.Destination;
import io.ephemera.track.Peer;
import io.ephemera.track.Stats;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tracker's counts and the kernel's view, joined into verdicts: each destination's port
 * budget and forecast, each call site's churn verdict. Computed on demand by whoever reports
 * (the MXBean, the log report), from one kernel view, so every figure in a report agrees.
 */
public final class Assessment {

    /** A destination of this JVM with its budget and what the kernel shows toward it. */
    public record DestinationVerdict(Destination destination, PortBudget budget, KernelView.DestinationUse kernel) {
    }

    /**
     * A call site with what the kernel shows of it and whether it churns, and how ({@code churn}).
     * {@code budgetUnknown}: toward a destination it reached, the budget test could not be made
     * (its budget or hold time is unknown), so only the lifetime test was. {@code recent}: its
     * connects and ends over the rate window, which the piling-up test read.
     */
    public record SiteVerdict(CallSite site, KernelView.SiteUse kernel, boolean churning, Destination worst,
                              boolean budgetUnknown, ChurnVerdict.Churn churn, Stats.Recent recent) {
    }

    /**
     * A peer that connects to this JVM, with the TIME_WAIT its connections left on this side and
     * the ports they are projected to hold on the peer's side.
     *
     * @param projectedPeerPortUse ports the peer holds toward this JVM at its rate, never more than
     *                             {@code peerBudget} (NaN when the hold time is unknown)
     * @param thisHost             the peer is this host: its range, {@code tcp_tw_reuse} and hold time
     *                             are this kernel's, not assumed
     * @param peerBudget           the ports the peer has toward this JVM: this host's budget, or
     *                             {@link #ASSUMED_PEER_BUDGET}; -1 unknown
     * @param peerHoldSeconds      how long a port the peer closed stays held: this host's hold time
     *                             toward the peer's address, or 60 s assumed; negative unknown
     * @param neededPeerPorts      what the rate needs before the cap: more than the budget means the
     *                             peer runs out
     */
    public record PeerVerdict(Peer peer, long ownedTimeWait, double projectedPeerPortUse, boolean churning,
                              boolean thisHost, long peerBudget, double peerHoldSeconds, double neededPeerPorts) {

        /** Whether the rate needs more ports than the peer has: {@code projectedPeerPortUse} is capped. */
        public boolean capped() {
            return peerBudget > 0 && neededPeerPorts > peerBudget;
        }
    }

    /**
     * The peer's port range is not visible from here: its budget is assumed to be Linux's default
     * range, 32768–60999, and named as an assumption wherever it is used.
     */
    public static final long ASSUMED_PEER_BUDGET = 60_999 - 32_768 + 1;

    private final KernelView view;
    private final ChurnVerdict verdict;
    private final Map<Destination, DestinationVerdict> destinations = new IdentityHashMap<>();

    public Assessment(KernelView view, Config config) {
        this.view = view;
        this.verdict = new ChurnVerdict(config.churnBudgetShare(), config.churnRate(), config.churnLifetimeMillis());
    }

    public KernelView view() {
        return view;
    }

    public DestinationVerdict destination(Destination d) {
        return destinations.computeIfAbsent(d, this::assess);
    }

    private DestinationVerdict assess(Destination d) {
        Stats s = d.stats();
        double hold = HoldTime.seconds(d.address(), view.twReuse(), view.timestamps(), view.twReuseDelayMillis());
        KernelView.DestinationUse use = view.destination(d);
        long inUse = use.portsInUse(); // -1 when unknown: this JVM's own open count would be a number the kernel never gave
        double forecastRate = s.openRatePerSecondObserved(ChurnVerdict.WINDOW_SECONDS);
        long since = Math.max(0, s.connects() - use.connectsAtScan());
        if (HoldTime.known(hold)) {
            // a port taken since the census and closed longer than the hold ago is free again
            since = Math.min(since, (long) Math.ceil(forecastRate * hold) + s.open());
        }
        return new DestinationVerdict(d, new PortBudget(view.portBudget(), inUse, hold,
                s.openRatePerSecond(ChurnVerdict.WINDOW_SECONDS), s.open(), since, forecastRate), use);
    }

    /** {@link #peer(Peer, boolean)}, the peer being this host when its address is loopback. */
    public PeerVerdict peer(Peer p) {
        return peer(p, p.address() != null && p.address().isLoopbackAddress());
    }

    /**
     * A peer churns by the call-site rule: it opens connections fast and they end soon. Each
     * connection the peer closed with a FIN holds one of its ports for the hold time, so at the
     * last 10 seconds' rate it holds {@code rate × hold × (share closed by the peer) + open}, never
     * more than its budget. A peer that is this host (loopback, or this JVM itself) has this
     * kernel's budget and hold time toward the peer's address, the same a churn finding of this
     * JVM toward it reads; another host's are not visible from here: its budget is assumed to be
     * the default range and its hold 60 s.
     */
    public PeerVerdict peer(Peer p, boolean thisHost) {
        double rate = p.acceptRatePerSecond(ChurnVerdict.WINDOW_SECONDS);
        long ends = p.ends();
        double peerShare = ends == 0 ? 0 : (double) p.ended(Peer.Ending.CLOSED_BY_PEER) / ends;
        long budget = thisHost ? view.portBudget() : ASSUMED_PEER_BUDGET;
        double hold = thisHost
                ? HoldTime.seconds(p.address(), view.twReuse(), view.timestamps(), view.twReuseDelayMillis())
                : HoldTime.TIME_WAIT_SECONDS;
        double needed = HoldTime.known(hold) ? rate * hold * peerShare + p.open() : Double.NaN;
        double projected = budget > 0 && needed > budget ? budget : needed;
        boolean churning = verdict.churning(rate, hold, budget, ends, p.medianLifetimeMillis());
        return new PeerVerdict(p, view.ownedTimeWait(p), projected, churning, thisHost, budget, hold, needed);
    }

    /**
     * A site churns toward the destination where its connects weigh most against the budget;
     * that destination is named as {@code worst}. It churns when it closes its new connections
     * quickly, or when they pile up open (see {@link ChurnVerdict}).
     */
    public SiteVerdict site(CallSite site) {
        Stats s = site.stats();
        double rate = s.openRatePerSecond(ChurnVerdict.WINDOW_SECONDS);
        Stats.Recent recent = s.recent(ChurnVerdict.WINDOW_SECONDS);
        boolean churning = false;
        Destination worst = null;
        double worstShare = -1;
        boolean budgetUnknown = false;
        List<Destination> reached = site.destinationList();
        for (Destination d : reached) {
            PortBudget b = destination(d).budget();
            boolean known = b.budget() > 0 && b.holdKnown();
            budgetUnknown |= !b.budgetKnown() || !b.holdKnown();
            double share = known ? rate * b.holdSeconds() / b.budget() : 0;
            if (share > worstShare) {
                worstShare = share;
                worst = d;
            }
            churning |= verdict.churning(rate, b.holdSeconds(), b.budget(), s.closes(), s.medianLifetimeMillis());
        }
        if (reached.isEmpty() && s.connects() > 0) {
            churning = verdict.churning(rate, HoldTime.TIME_WAIT_SECONDS, 0, s.closes(), s.medianLifetimeMillis());
        }
        // outbound only: what an inbound peer leaves open is its own pool, judged on its side
        boolean pilingUp = s.connects() > s.accepts()
                && verdict.pilingUpOpen(rate, recent.opens(), recent.openGrowth(), recent.busiestTwoSeconds());
        ChurnVerdict.Churn churn = ChurnVerdict.of(churning, pilingUp);
        return new SiteVerdict(site, view.site(site), churn != ChurnVerdict.Churn.NONE, worst, budgetUnknown, churn,
                recent);
    }
}
