package io.ephemera.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** An outbound connect that failed. */
@Name("io.ephemera.ConnectFailed")
@Label("TCP Connect Failed")
@Category({"ephemera", "Network"})
@Description("A connect that failed: refused, timedOut, unreachable, addressNotAvailable (port exhaustion), addressInUse, other")
@StackTrace(false)
final class ConnectFailedEvent extends Event {
    @Label("Destination")
    String destination;

    @Label("Call Site")
    String callSite;

    @Label("Failure Cause")
    String failureCause;
}
