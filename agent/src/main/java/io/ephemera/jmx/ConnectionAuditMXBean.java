package io.ephemera.jmx;

import java.util.Map;

/**
 * What ephemera knows about this JVM's TCP connections, in open types only, so that jconsole,
 * JDK Mission Control, jmxterm, Jolokia and the Prometheus JMX exporter can all read it. Per-row
 * attributes are maps keyed by the row's name (TabularData), never arrays, because the Prometheus
 * exporter turns a map into metrics labelled by its key and drops arrays of composites.
 *
 * <p>Counts are since the agent started (or was attached). They are exact when the application is
 * quiet: {@code CloseCount = ConnectCount + AcceptCount - OpenConnections} as long as
 * {@code TrackingDropCount} is 0.
 */
public interface ConnectionAuditMXBean {

    /** The name this MXBean is registered under in the platform MBeanServer. */
    String OBJECT_NAME = "io.ephemera:type=ConnectionAudit";

    /** Successful outbound TCP connects (count). */
    long getConnectCount();

    /** Outbound connects that failed, all causes (count). */
    long getConnectFailureCount();

    /**
     * Connects that failed with {@code EADDRNOTAVAIL} ({@code BindException: Cannot assign requested
     * address}): no local port was left for the destination (count). The exhaustion signal.
     */
    long getAddressNotAvailableCount();

    /** Failed connects by cause: refused, timedOut, unreachable, addressNotAvailable, addressInUse, other (counts). */
    Map<String, Long> getFailureCounts();

    /** Inbound connections accepted (count). */
    long getAcceptCount();

    /**
     * Connections that ended (count): closed by the application, or found unreachable without
     * close (these are also in {@code LeakCount}). Closes of connections opened before a dynamic
     * attach are not counted.
     */
    long getCloseCount();

    /** Connections open now, inbound and outbound (count). */
    long getOpenConnections();

    /** Connections whose socket or channel became unreachable without close() (count). */
    long getLeakCount();

    /**
     * Connections counted but not followed to their close, because {@code connections.max} were
     * open already (count). While it is above 0 the close and open counts undercount.
     */
    long getTrackingDropCount();

    /** Failures inside the agent that were swallowed so the application would not see them (count). */
    long getAgentErrorCount();

    /**
     * Call sites, keyed by label ({@code com.acme.Billing.charge(Billing.java:42)}; a second stack
     * with the same label is keyed {@code "... #2"}). The busiest {@code jmx.rows} by connects and
     * accepts; overflow past {@code callsites.max} is the row {@code (other)}.
     */
    Map<String, CallSiteRow> getCallSites();

    /** Call-site rows left out of {@link #getCallSites()} by {@code jmx.rows} (count). */
    long getCallSiteRowsOmitted();

    /**
     * Outbound destinations, keyed {@code 127.0.0.1:8080} or {@code [::1]:8080}. The busiest
     * {@code jmx.rows}; overflow past {@code destinations.max} is the row {@code (other)}.
     */
    Map<String, DestinationRow> getDestinations();

    /** Destination rows left out of {@link #getDestinations()} by {@code jmx.rows} (count). */
    long getDestinationRowsOmitted();

    /**
     * Instrumentation points that could not be installed on this JDK, each with the reason; empty
     * when every hook is in place. Connections through a missing hook are not seen.
     */
    String[] getMissingHooks();

    /** The options given explicitly, {@code key=value,...}; empty when all are defaults. */
    String getOptions();

    /** The agent's version. */
    String getVersion();
}
