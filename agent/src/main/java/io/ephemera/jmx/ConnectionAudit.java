package io.ephemera.jmx;

import io.ephemera.track.CallSite;
import io.ephemera.track.Destination;
import io.ephemera.track.FailureCause;
import io.ephemera.track.Stats;
import io.ephemera.track.Tracker;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The MXBean: reads the tracker and shapes rows; holds no state of its own. */
public final class ConnectionAudit implements ConnectionAuditMXBean {

    private final Tracker tracker;
    private final int rows;
    private final String options;
    private final String version;
    private final Supplier<List<String>> missingHooks;

    public ConnectionAudit(Tracker tracker, int rows, String options, String version,
                           Supplier<List<String>> missingHooks) {
        this.tracker = tracker;
        this.rows = rows;
        this.options = options;
        this.version = version;
        this.missingHooks = missingHooks;
    }

    @Override
    public long getConnectCount() {
        return tracker.connectCount();
    }

    @Override
    public long getConnectFailureCount() {
        return tracker.failureCount();
    }

    @Override
    public long getAddressNotAvailableCount() {
        return tracker.failureCount(FailureCause.ADDRESS_NOT_AVAILABLE);
    }

    @Override
    public Map<String, Long> getFailureCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (FailureCause c : FailureCause.values()) {
            out.put(c.label(), tracker.failureCount(c));
        }
        return out;
    }

    @Override
    public long getAcceptCount() {
        return tracker.acceptCount();
    }

    @Override
    public long getCloseCount() {
        return tracker.closeCount();
    }

    @Override
    public long getOpenConnections() {
        return tracker.openConnections();
    }

    @Override
    public long getLeakCount() {
        return tracker.leakCount();
    }

    @Override
    public long getTrackingDropCount() {
        return tracker.trackingDropCount();
    }

    @Override
    public long getAgentErrorCount() {
        return tracker.agentErrorCount();
    }

    @Override
    public Map<String, CallSiteRow> getCallSites() {
        List<CallSite> all = busiest(tracker.callSites(), CallSite::stats);
        Map<String, CallSiteRow> out = new LinkedHashMap<>();
        for (CallSite site : all.subList(0, Math.min(rows, all.size()))) {
            Stats s = site.stats();
            out.put(site.key(), new CallSiteRow(site.label(), site.stack(), s.connects(), s.accepts(), s.failures(), s.failuresByCause(),
                    s.open(), s.closes(), s.leaks(), s.medianLifetimeMillis(), s.p99LifetimeMillis(),
                    s.openRatePerSecond(10), s.openRatePerSecond(60), site.destinations()));
        }
        return out;
    }

    @Override
    public long getCallSiteRowsOmitted() {
        return Math.max(0, tracker.callSites().size() - rows);
    }

    @Override
    public Map<String, DestinationRow> getDestinations() {
        List<Destination> all = busiest(tracker.destinations(), Destination::stats);
        Map<String, DestinationRow> out = new LinkedHashMap<>();
        for (Destination d : all.subList(0, Math.min(rows, all.size()))) {
            Stats s = d.stats();
            out.put(d.key(), new DestinationRow(d.key(), s.connects(), s.failures(), s.failuresByCause(),
                    s.failures(FailureCause.ADDRESS_NOT_AVAILABLE), s.open(), s.closes(), s.openRatePerSecond(10),
                    s.openRatePerSecond(60), s.medianLifetimeMillis()));
        }
        return out;
    }

    @Override
    public long getDestinationRowsOmitted() {
        return Math.max(0, tracker.destinations().size() - rows);
    }

    @Override
    public String[] getMissingHooks() {
        return missingHooks.get().toArray(new String[0]);
    }

    @Override
    public String getOptions() {
        return options;
    }

    @Override
    public String getVersion() {
        return version;
    }

    /** Sorted busiest first: connects, accepts and failures together. */
    private static <T> List<T> busiest(List<T> rows, java.util.function.Function<T, Stats> stats) {
        rows.sort(Comparator.comparingLong((T t) -> {
            Stats s = stats.apply(t);
            return s.connects() + s.accepts() + s.failures();
        }).reversed());
        return rows;
    }
}
