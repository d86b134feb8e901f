package io.ephemera.cli;

import io.ephemera.analysis.HoldTime;
import io.ephemera.kernel.HostView;

import java.util.ArrayList;
import java.util.List;

/**
 * What the usual sysctl remedies would buy toward one destination, as headroom: the range widened
 * to 1024 65535, {@code tcp_tw_reuse=1}, and both, beside what the host has now. Headroom, not a
 * cure: the ports a churning client burns come back no faster.
 *
 * <p>For each scenario: the budget (ports of the range, less reserved and listening ports in it);
 * the ports blocked now (in use toward the destination, less the TIME_WAIT ports a connect may take
 * over where {@code tcp_tw_reuse} applies and they are past the reuse delay); the headroom (budget
 * less blocked); how long a port closed first stays held; the connect rate the destination
 * sustains when every connection is new and closed first (budget / hold); and, at the recent close
 * rate (TIME_WAIT sockets that appeared in the last 10 s), the ports it would hold in steady state.
 *
 * @param name       {@code now}, {@code range 1024 65535}, {@code tcp_tw_reuse=1}, {@code both}
 * @param low        the scenario's ip_local_port_range
 * @param high       its last port
 * @param twReuse    the scenario's tcp_tw_reuse
 * @param budget     usable ports toward the destination
 * @param blocked    ports toward it a new connect cannot take
 * @param headroom   budget − blocked, never negative
 * @param holdSeconds how long a port this side closed stays held toward it
 * @param closeRate  connections toward it this host closed first, per second, lately
 * @param live       its sockets that are not in TIME_WAIT (open, or closing)
 */
record WhatIf(String name, int low, int high, int twReuse, long budget, long blocked, long headroom,
              double holdSeconds, double closeRate, int live) {

    static final int WIDE_LOW = 1024;
    static final int WIDE_HIGH = 65535;

    /** 100 × headroom / budget; 0 without a budget. */
    double headroomPercent() {
        return budget <= 0 ? 0 : 100.0 * headroom / budget;
    }

    /** Whether this scenario changes the budget or the hold time of {@code now}: a remedy worth naming. */
    boolean changes(WhatIf now) {
        return budget != now.budget() || holdSeconds != now.holdSeconds();
    }

    /** New connections per second the destination sustains when each is closed first: budget / hold. */
    double sustainableRate() {
        return holdSeconds <= 0 ? 0 : budget / holdSeconds;
    }

    /** Ports held in steady state at the recent close rate: rate × hold, plus the live sockets. */
    double projected() {
        return closeRate * holdSeconds + live;
    }

    /** Whether the recent rate, kept up, needs more ports than the budget. */
    boolean onCourseToExhaustion() {
        return closeRate > 0 && budget > 0 && projected() >= budget;
    }

    /** Seconds until no port is left at the recent rate; -1 when not on course to run out. */
    double secondsToExhaustion() {
        return onCourseToExhaustion() ? headroom / closeRate : -1;
    }

    /**
     * The four scenarios; empty when one needs what could not be read
     * ({@link HostView#unjudgedReason()}): a scenario is computed from the kernel's values or not at all.
     */
    static List<WhatIf> of(HostView host, HostView.DestinationLoad d) {
        List<WhatIf> all = new ArrayList<>();
        int low = host.portRangeLow();
        int high = host.portRangeHigh();
        if (host.unjudgedReason() != null) {
            return all;
        }
        int reuse = host.twReuse();
        all.add(scenario("now", host, d, low, high, reuse));
        all.add(scenario("range " + WIDE_LOW + " " + WIDE_HIGH, host, d, WIDE_LOW, WIDE_HIGH, reuse));
        all.add(scenario("tcp_tw_reuse=1", host, d, low, high, 1));
        all.add(scenario("both", host, d, WIDE_LOW, WIDE_HIGH, 1));
        return all;
    }

    static WhatIf scenario(String name, HostView host, HostView.DestinationLoad d, int low, int high, int twReuse) {
        long budget = host.budget(low, high);
        boolean reusable = HoldTime.reuse(d.address(), twReuse, host.timestamps()) == HoldTime.Reuse.APPLIES;
        long blocked = d.inUse() - (reusable ? d.timeWaitPastReuseDelay() : 0);
        double hold = HoldTime.seconds(d.address(), twReuse, host.timestamps(), host.twReuseDelayMillis());
        double rate = d.timeWaitEnteredRecently() / (double) HostView.RECENT_SECONDS;
        return new WhatIf(name, low, high, twReuse, budget, blocked, Math.max(0, budget - blocked), hold, rate,
                d.inUse() - d.timeWait());
    }
}
