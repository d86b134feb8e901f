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
     * Inbound peers, keyed {@code 127.0.0.1 -> :8080} (the peer's address, this JVM's port), with
     * how their connections ended. The busiest {@code jmx.rows} by accepts; overflow past
     * {@code destinations.max} is the row {@code (other)}.
     */
    Map<String, PeerRow> getPeers();

    /** Peer rows left out of {@link #getPeers()} by {@code jmx.rows} (count). */
    long getPeerRowsOmitted();

    /**
     * Instrumentation points that could not be installed on this JDK, each with the reason; empty
     * when every hook is in place. Connections through a missing hook are not seen.
     */
    String[] getMissingHooks();

    /**
     * Each hook into a library's classes (Netty's native transport) and where it stands:
     * {@code installed in io.netty} (and any shaded copy, e.g. {@code io.grpc.netty.shaded.io.netty}),
     * {@code missing in ...} (also listed in {@link #getMissingHooks()}), or {@code not loaded}
     * while the application has not loaded that class: a library that is absent is not missing.
     */
    Map<String, String> getLibraryHooks();

    /**
     * TCP connections this JVM holds that no hook saw, at the last census (count): a transport the
     * agent does not hook (a JNI driver, a native library), found among this process's descriptors
     * with no connection the agent recorded on the same 4-tuple, in two censuses in a row. Their
     * destinations are in {@link #getDestinations()} ({@code unseen}); the {@code unseen} finding
     * names them. -1 unknown (the socket tables could not be read).
     */
    long getUnseenConnections();

    /**
     * TCP connections this JVM already held when the agent was attached (or reset), still open at
     * the last census (count): not seen opening, so neither counted nor unseen; -1 unknown.
     */
    long getPreexistingConnections();

    /**
     * TIME_WAIT sockets in this network namespace, any process, at the last census (count); -1
     * unknown (the socket tables could not be read).
     */
    long getTimeWaitCount();

    /**
     * TIME_WAIT sockets left by connections this JVM closed first (count); -1 unknown. No process
     * owns a TIME_WAIT socket; the agent attributes one by matching its 4-tuple to a connection it
     * saw close.
     */
    long getOwnedTimeWaitCount();

    /** This JVM's sockets in CLOSE_WAIT: the peer closed, the application has not (count); -1 unknown. */
    long getOwnedCloseWaitCount();

    /** {@code net.ipv4.ip_local_port_range}, {@code "32768-60999"}; empty when unknown. */
    String getEphemeralPortRange();

    /**
     * Ports a plain connect toward one (source, destination address, destination port) can use:
     * the range, less {@code ip_local_reserved_ports}, less the ports of listeners in the range and
     * of sockets this JVM bound before connecting (count); -1 unknown (the range or the reserved
     * ports could not be read, or the socket tables, which show the listeners).
     */
    long getEphemeralPortBudget();

    /** {@code net.ipv4.tcp_tw_reuse}: 0 off, 1 on, 2 loopback only; -1 unknown. */
    int getTcpTwReuse();

    /** Whether the kernel's socket tables could be read (/proc present and readable). */
    boolean getCensusAvailable();

    /**
     * Whether some of the kernel's figures are unknown: a socket table or a sysctl of the budget
     * or the hold time ({@code ip_local_port_range}, {@code ip_local_reserved_ports},
     * {@code tcp_tw_reuse}, {@code tcp_tw_reuse_delay}, {@code tcp_timestamps}) could not be read,
     * or the census is unavailable. The figures that need it are then their unknown value (-1, NaN
     * or empty, as each getter says), never a guess; {@link #getCensusUnreadable()} says what.
     */
    boolean getCensusPartial();

    /**
     * What the census could not read, with why, comma-separated:
     * {@code net.ipv4.tcp_tw_reuse (garbled: "two"), /proc/net/tcp6 (...)}; empty when nothing.
     */
    String getCensusUnreadable();

    /** How long the last full census scan took (milliseconds). */
    double getCensusMillis();

    /**
     * Closed connections forgotten while their TIME_WAIT could still be running, because
     * {@code closes.max} newer ones arrived: TIME_WAIT sockets they left cannot be attributed (count).
     */
    long getRecentCloseDropCount();

    /** Milliseconds since the census last completed a pass; large when it is stale. */
    long getCensusAgeMillis();

    /**
     * Whether the census has fallen behind: no pass for three {@code census.interval}s and two
     * seconds (its thread hangs or died). The kernel's numbers are then old; connections are still tracked.
     */
    boolean getCensusStale();

    /**
     * The current findings as text, the same lines the periodic log report writes: a header with
     * the totals and the census, one logfmt line per finding, the stack of each finding indented.
     */
    String report();

    /** The same content as {@link #report()}, as one JSON object. */
    String reportJson();

    /**
     * Clears every counter, call site and destination, and forgets the connections open now, as if
     * the agent had just been attached. Closes of connections opened before are not counted.
     */
    void reset();

    /** The options given explicitly, {@code key=value,...}; empty when all are defaults. */
    String getOptions();

    /** The agent's version. */
    String getVersion();

    /**
     * How call sites are told apart: {@code backtrace} (from the VM's backtrace, HotSpot) or
     * {@code stackwalker} (a {@link StackWalker} walk, the fallback; forced by
     * the option {@code callsites.backtrace=false}).
     */
    String getCallSiteIdentity();
}
