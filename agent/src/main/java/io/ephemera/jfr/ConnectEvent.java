package io.ephemera.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A TCP connection opened (outbound connect or inbound accept). */
@Name("io.ephemera.Connect")
@Label("TCP Connect")
@Category({"ephemera", "Network"})
@Description("A TCP connection this JVM opened or accepted, with the call site that asked for it")
@StackTrace(false)
final class ConnectEvent extends Event {
    @Label("Destination")
    @Description("The remote end: 127.0.0.1:8080, [::1]:8080")
    String destination;

    @Label("Local Port")
    int localPort;

    @Label("Direction")
    @Description("outbound (connect) or inbound (accept)")
    String direction;

    @Label("Call Site")
    String callSite;
}
