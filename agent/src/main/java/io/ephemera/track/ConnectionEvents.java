package io.ephemera.track;

/**
 * Where the tracker announces connections as they happen, for a flight recording. A disabled
 * feature is {@link #NONE}, not an {@code if} on the hot path.
 */
public interface ConnectionEvents {

    ConnectionEvents NONE = new ConnectionEvents() {
        @Override
        public void opened(Connection c) {
        }

        @Override
        public void failed(CallSite site, Destination d, FailureCause cause) {
        }

        @Override
        public void closed(Connection c, long lifetimeNanos, boolean leaked) {
        }
    };

    void opened(Connection c);

    void failed(CallSite site, Destination d, FailureCause cause);

    void closed(Connection c, long lifetimeNanos, boolean leaked);
}
