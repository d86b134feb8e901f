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
     */
    public record PeerVerdict(Peer peer, long ownedTimeWait, double projectedPeerPortUse, boolean churning) {
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

    /**
     * A peer churns by the call-site rule, against the assumed budget of the peer's side: it opens
     * connections fast and they end soon. Each connection the peer closed with a FIN holds one of
     * its ports for 60 s, so at the last 10 seconds' rate it holds
     * {@code rate × 60 × (share closed by the peer) + open}.
     */
    public PeerVerdict peer(Peer p) {
        double rate = p.acceptRatePerSecond(10);
        long ends = p.ends();
        double peerShare = ends == 0 ? 0 : (double) p.ended(Peer.Ending.CLOSED_BY_PEER) / ends;
        double projected = rate * HoldTime.TIME_WAIT_SECONDS * peerShare + p.open();
        boolean churning = verdict.churning(rate, HoldTime.TIME_WAIT_SECONDS, ASSUMED_PEER_BUDGET, ends,
                p.medianLifetimeMillis());
        return new PeerVerdict(p, view.ownedTimeWait(p), projected, churning);
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
