package io.ephemera.cli;

import io.ephemera.analysis.ChurnVerdict;
import io.ephemera.config.Config;
import io.ephemera.kernel.HostView;

import java.util.ArrayList;
import java.util.List;

/**
 * The doctor's content, whatever the output format: the host's view, the sysctls with what they
 * mean, each busy destination with its what-ifs, and the recommendations. Built once; the text and
 * JSON writers only format it.
 */
final class Diagnosis {

    private static final Config DEFAULTS = Config.defaults();
    /** A destination under this much headroom is short of ports (the agent's {@code warn.headroom}). */
    static final double WARN_HEADROOM_PERCENT = 20;
    /**
     * The agent's churn verdict with its default options: the doctor applies the test the kernel
     * alone can make (the budget test) by the same rule, and names the tests only the agent can
     * make (lifetime, piling up open) where the kernel shows connections at their rate.
     */
    static final ChurnVerdict VERDICT = new ChurnVerdict(DEFAULTS.churnBudgetShare(), DEFAULTS.churnRate(),
            DEFAULTS.churnLifetimeMillis());
    /** {@code churn.rate}'s default, connects per second. */
    static final double VERDICT_RATE = DEFAULTS.churnRate();
    /** {@code churn.lifetime}'s default, milliseconds. */
    static final double VERDICT_LIFETIME_MILLIS = DEFAULTS.churnLifetimeMillis();
    /** TIME_WAIT above this share of a budget means churn (the agent's {@code churn.budget}). */
    static final double CHURN_SHARE = VERDICT.budgetShare();

    /** One busy destination and what the sysctl remedies would buy toward it. */
    record Destination(HostView.DestinationLoad load, List<WhatIf> whatIfs, int timestamps) {

        /** The scenario {@code now}, or null when the range is unknown. */
        WhatIf now() {
            return whatIfs.isEmpty() ? null : whatIfs.get(0);
        }

        /** Connections toward it this host closed first, per second, over the last 10 s. */
        double closeRate() {
            return load.timeWaitEnteredRecently() / (double) HostView.RECENT_SECONDS;
        }

        /** Under {@link #WARN_HEADROOM_PERCENT} headroom, or on course to run out at the recent rate. */
        boolean shortOfPorts() {
            WhatIf now = now();
            return now != null && now.budget() > 0
                    && (now.headroomPercent() < WARN_HEADROOM_PERCENT || now.onCourseToExhaustion());
        }

        /**
         * The agent's budget test from the kernel's side ({@link ChurnVerdict#byBudget}): at the
         * recent close rate (at least one a second), each port held for the hold time would occupy
         * {@link #CHURN_SHARE} of the budget; or TIME_WAIT already does.
         */
        boolean churning() {
            WhatIf now = now();
            if (now == null || now.budget() <= 0) {
                return false;
            }
            return VERDICT.byBudget(closeRate(), now.holdSeconds(), now.budget())
                    || load.timeWait() >= CHURN_SHARE * now.budget();
        }

        /**
         * Not short of ports nor churning by the budget test, but connections toward it are closed
         * first here at {@code churn.rate} or more: the agent's lifetime test calls that churn when
         * they live under {@code churn.lifetime}, which only the agent sees. The doctor says so and
         * points to {@code report}, never "nothing to do".
         */
        boolean needsTheAgent() {
            return now() != null && !shortOfPorts() && !churning() && VERDICT.atChurnRate(closeRate());
        }
    }

    private final HostView host;
    private final List<SysctlNote> sysctls;
    private final List<Destination> destinations;
    private final List<String> recommendations;

    private Diagnosis(HostView host, List<SysctlNote> sysctls, List<Destination> destinations,
                      List<String> recommendations) {
        this.host = host;
        this.sysctls = sysctls;
        this.destinations = destinations;
        this.recommendations = recommendations;
    }

    /** @param agentJar the jar to name in the commands recommended */
    static Diagnosis of(HostView host, String agentJar) {
        List<Destination> destinations = new ArrayList<>();
        for (HostView.DestinationLoad d : host.destinations()) {
            destinations.add(new Destination(d, WhatIf.of(host, d), host.timestamps()));
        }
        List<Destination> all = List.copyOf(destinations);
        return new Diagnosis(host, SysctlNote.of(host), all, Recommendations.of(host, all, agentJar));
    }

    HostView host() {
        return host;
    }

    List<SysctlNote> sysctls() {
        return sysctls;
    }

    List<Destination> destinations() {
        return destinations;
    }

    List<String> recommendations() {
        return recommendations;
    }
}
