package io.ephemera.track;

import java.net.BindException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.channels.InterruptedByTimeoutException;
import java.util.Locale;

/** Why a connect failed, as far as the exception tells. */
public enum FailureCause {
    /** The peer answered with a reset: nothing listens there ({@code ECONNREFUSED}). */
    REFUSED("refused"),
    /** No answer in time. */
    TIMED_OUT("timedOut"),
    /** No route to the host or network. */
    UNREACHABLE("unreachable"),
    /**
     * {@code EADDRNOTAVAIL}, {@code BindException: Cannot assign requested address}: no local
     * port is left for this destination. The exhaustion signal itself.
     */
    ADDRESS_NOT_AVAILABLE("addressNotAvailable"),
    /** {@code EADDRINUSE}: a bind-before-connect found no free port on the local address. */
    ADDRESS_IN_USE("addressInUse"),
    /** Anything else. */
    OTHER("other");

    private static final int MAX_CAUSES = 8;

    private final String label;

    FailureCause(String label) {
        this.label = label;
    }

    /** The name used in the MXBean and the reports. */
    public String label() {
        return label;
    }

    /**
     * Classifies a connect failure. Looks through a few causes, because clients such as
     * {@code java.net.http.HttpClient} wrap the socket's exception in their own.
     */
    public static FailureCause classify(Throwable thrown) {
        Throwable t = thrown;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            FailureCause c = classifyOne(t);
            if (c != OTHER) {
                return c;
            }
        }
        return OTHER;
    }

    private static FailureCause classifyOne(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (t instanceof BindException) {
            if (message.contains("in use")) {
                return ADDRESS_IN_USE;
            }
            return ADDRESS_NOT_AVAILABLE;
        }
        if (message.contains("cannot assign requested address")) {
            return ADDRESS_NOT_AVAILABLE;
        }
        if (message.contains("address already in use")) {
            return ADDRESS_IN_USE; // a native transport's bind: not a BindException
        }
        if (t instanceof NoRouteToHostException || message.contains("unreachable")) {
            return UNREACHABLE;
        }
        if (t instanceof SocketTimeoutException || t instanceof InterruptedByTimeoutException
                || message.contains("timed out")) {
            return TIMED_OUT;
        }
        if (message.contains("refused")) {
            return REFUSED;
        }
        return OTHER;
    }
}
