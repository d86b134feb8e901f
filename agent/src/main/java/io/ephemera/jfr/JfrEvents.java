package io.ephemera.jfr;

import io.ephemera.track.Addresses;
import io.ephemera.track.CallSite;
import io.ephemera.track.Connection;
import io.ephemera.track.ConnectionEvents;
import io.ephemera.track.Destination;
import io.ephemera.track.FailureCause;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Connections as JFR events {@code io.ephemera.Connect}, {@code io.ephemera.ConnectFailed} and
 * {@code io.ephemera.Close}, so a recording shows churn beside GC and socket I/O. While no
 * recording has them enabled, each call is one field read: no event object is built.
 *
 * <p>The events are registered only once Flight Recorder is running: registering them starts it,
 * and a running Flight Recorder instruments the JDK's socket reads and writes (its own
 * {@code jdk.SocketRead} and {@code jdk.SocketWrite} events), which costs every request on every
 * connection of a JVM that never records (measured: keep-alive traffic at 0.8 of its speed; see
 * BENCHMARKS.md). A recording started at launch or later, by {@code jcmd} or the API, registers
 * them within moments of its start.
 */
public final class JfrEvents implements ConnectionEvents {

    private volatile EventType connect;
    private volatile EventType failed;
    private volatile EventType close;

    private JfrEvents() {
    }

    private synchronized void register() {
        if (connect != null) {
            return;
        }
        FlightRecorder.register(ConnectEvent.class);
        FlightRecorder.register(ConnectFailedEvent.class);
        FlightRecorder.register(CloseEvent.class);
        failed = EventType.getEventType(ConnectFailedEvent.class);
        close = EventType.getEventType(CloseEvent.class);
        connect = EventType.getEventType(ConnectEvent.class); // last: opened() reads it first
    }

    /** The events, or {@link ConnectionEvents#NONE} where this runtime has no JFR. */
    public static ConnectionEvents create() {
        try {
            JfrEvents events = new JfrEvents();
            if (FlightRecorder.isInitialized()) {
                events.register();
            } else {
                FlightRecorder.addListener(new FlightRecorderListener() {
                    @Override
                    public void recorderInitialized(FlightRecorder recorder) {
                        // not under Flight Recorder's initialisation: on a thread of our own
                        Thread t = new Thread(events::registerQuietly, "ephemera-jfr");
                        t.setDaemon(true);
                        t.start();
                    }
                });
                if (FlightRecorder.isInitialized()) { // started between the check and the listener
                    events.register();
                }
            }
            return events;
        } catch (Throwable t) {
            return ConnectionEvents.NONE;
        }
    }

    private void registerQuietly() {
        try {
            register();
        } catch (Throwable t) {
            // no JFR events, the rest of the agent unaffected
        }
    }

    @Override
    public void opened(Connection c) {
        EventType connect = this.connect;
        if (connect == null || !connect.isEnabled()) {
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
        EventType failed = this.failed;
        if (failed == null || !failed.isEnabled()) {
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
        EventType close = this.close;
        if (close == null || !close.isEnabled()) {
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
