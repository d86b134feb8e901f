package io.ephemera.analysis;

import io.ephemera.config.Config;
import io.ephemera.kernel.KernelView;
import io.ephemera.track.CallSite;
import io.ephemera.track.Destination;
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

    /** A call site with what the kernel shows of it and whether it churns. */
    public record SiteVerdict(CallSite site, KernelView.SiteUse kernel, boolean churning, Destination worst) {
    }

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
        long inUse = view.available() ? use.portsInUse() : s.open();
        return new DestinationVerdict(d, new PortBudget(view.portBudget(), inUse, hold, s.openRatePerSecond(10), s.open()),
                use);
    }

    /**
     * A site churns toward the destination where its connects weigh most against the budget;
     * that destination is named as {@code worst}.
     */
    public SiteVerdict site(CallSite site) {
        Stats s = site.stats();
        double rate = s.openRatePerSecond(10);
        boolean churning = false;
        Destination worst = null;
        double worstShare = -1;
        List<Destination> reached = site.destinationList();
        for (Destination d : reached) {
            PortBudget b = destination(d).budget();
            double share = b.budget() > 0 ? rate * b.holdSeconds() / b.budget() : 0;
            if (share > worstShare) {
                worstShare = share;
                worst = d;
            }
            churning |= verdict.churning(rate, b.holdSeconds(), b.budget(), s.closes(), s.medianLifetimeMillis());
        }
        if (reached.isEmpty() && s.connects() > 0) {
            churning = verdict.churning(rate, HoldTime.TIME_WAIT_SECONDS, 0, s.closes(), s.medianLifetimeMillis());
        }
        return new SiteVerdict(site, view.site(site), churning, worst);
    }
}
