package io.ephemera.report;

import io.ephemera.track.CallSite;

import java.util.Locale;

/**
 * A call site of this JVM that connects to one of its own listening ports (a peer that is this
 * JVM), with its share of those connections.
 *
 * @param share of the connections toward the peer's port that this site made, 0 to 1
 */
record SelfCaller(CallSite site, double share) {

    /** {@code com.acme.Billing.charge(Billing.java:42) (52%)}. */
    String describe() {
        return site.key() + " (" + String.format(Locale.ROOT, "%.0f", 100 * share) + "%)";
    }
}
