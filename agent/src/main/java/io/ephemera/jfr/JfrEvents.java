package io.ephemera.jfr;

import io.ephemera.track.Addresses;
import io.ephemera.track.CallSite;
import io.ephemera.track.Connection;
import io.ephemera.track.ConnectionEvents;
import io.ephemera.track.Destination;
import io.ephemera.track.FailureCause;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

/**
 * Connections as JFR events {@code io.ephemera.Connect}, {@code io.ephemera.ConnectFailed} and
 * {@code io.ephemera.Close}, so a recording shows churn beside GC and socket I/O. While no
 * recording has them enabled, each call is one field read: no event object is built.
 */
public final class JfrEvents implements ConnectionEvents {

    private final EventType connect;
    private final EventType failed;
    private final EventType close;

    private JfrEvents() {
        FlightRecorder.register(ConnectEvent.class);
        FlightRecorder.register(ConnectFailedEvent.class);
        FlightRecorder.register(CloseEvent.class);
        connect = EventType.getEventType(ConnectEvent.class);
        failed = EventType.getEventType(ConnectFailedEvent.class);
        close = EventType.getEventType(CloseEvent.class);
    }

    /** The events, or {@link ConnectionEvents#NONE} where this runtime has no JFR. */
    public static ConnectionEvents create() {
        try {
            return new JfrEvents();
        } catch (Throwable t) {
            return ConnectionEvents.NONE;
        }
    }

    @Override
    public void opened(Connection c) {
        if (!connect.isEnabled()) {
            return;
        }
        ConnectEvent e = new ConnectEvent();
        e.destination = Addresses.endpoint(c.remoteAddress(), c.remotePort());
        e.localPort = c.localPort();
        e.direction = c.inbound() ? "inbound" : "outbound";
        e.callSite = c.site().key();
        e.commit();
    }

    @Override
    public void failed(CallSite site, Destination d, FailureCause cause) {
        if (!failed.isEnabled()) {
            return;
        }
        ConnectFailedEvent e = new ConnectFailedEvent();
        e.destination = d.key();
        e.callSite = site.key();
        e.failureCause = cause.label();
        e.commit();
    }

    @Override
    public void closed(Connection c, long lifetimeNanos, boolean leaked) {
        if (!close.isEnabled()) {
            return;
        }
        CloseEvent e = new CloseEvent();
        e.destination = Addresses.endpoint(c.remoteAddress(), c.remotePort());
        e.localPort = c.localPort();
        e.direction = c.inbound() ? "inbound" : "outbound";
        e.callSite = c.site().key();
        e.lifetime = lifetimeNanos;
        e.leaked = leaked;
        e.commit();
    }
}
