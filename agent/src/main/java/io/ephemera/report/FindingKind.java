package io.ephemera.report;

/** What a finding is about; the name is what the report's {@code finding=} key says. */
public enum FindingKind {
    /** A call site that opens connections fast and closes them soon: it burns ports. */
    CHURN("churn"),
    /** An inbound peer (a proxy, a client) that opens a new connection per request to this JVM. */
    PEER_CHURN("peer-churn"),
    /** A destination whose headroom is low or that is on course to exhaustion. */
    EXHAUSTION_RISK("exhaustion-risk"),
    /**
     * Verdicts not computed because the kernel did not give what they need (a sysctl or a socket
     * table could not be read): one line saying which, how many, and what was not read.
     */
    UNJUDGED("unjudged"),
    /** Connects that failed with EADDRNOTAVAIL: the port budget ran out. */
    ADDRESS_NOT_AVAILABLE("address-not-available"),
    /** Connections whose socket became unreachable without close(). */
    LEAK("leak"),
    /** Connections the peer closed and the application did not. */
    CLOSE_WAIT("close-wait"),
    /** TCP connections this JVM holds that no hook saw: a transport the agent does not see. */
    UNSEEN("unseen"),
    /** Connections open longer than leak.age: informational; a pool's connections are meant to live long. */
    LONG_LIVED("long-lived");

    private final String label;

    FindingKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
