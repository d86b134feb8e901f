package io.ephemera.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A TCP connection that ended: closed, or found unreachable without close (leaked). */
@Name("io.ephemera.Close")
@Label("TCP Close")
@Category({"ephemera", "Network"})
@Description("A TCP connection that ended, with how long it lived; leaked when its socket became unreachable unclosed")
@StackTrace(false)
final class CloseEvent extends Event {
    @Label("Destination")
    String destination;

    @Label("Local Port")
    int localPort;

    @Label("Direction")
    String direction;

    @Label("Call Site")
    String callSite;

    @Label("Lifetime")
    @Timespan(Timespan.NANOSECONDS)
    long lifetime;

    @Label("Leaked")
    boolean leaked;
}
