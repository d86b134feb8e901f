package io.ephemera.jmx;

import io.ephemera.analysis.Assessment;
import io.ephemera.analysis.PortBudget;
import io.ephemera.config.Config;
import io.ephemera.kernel.KernelView;
import io.ephemera.report.Report;
import io.ephemera.track.CallSite;
import io.ephemera.track.Destination;
import io.ephemera.track.FailureCause;
import io.ephemera.track.Peer;
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
    private final Config config;
    private final int rows;
    private final String version;
    private final Supplier<List<String>> missingHooks;
    private final Supplier<Map<String, String>> libraryHooks;
    private final Supplier<KernelView> kernel;
    private final Supplier<Long> censusAgeMillis;
    private final Supplier<Report> reports;

    public ConnectionAudit(Tracker tracker, Config config, String version, Supplier<List<String>> missingHooks,
                           Supplier<Map<String, String>> libraryHooks, Supplier<KernelView> kernel, Supplier<Long> censusAgeMillis, Supplier<Report> reports) {
        this.tracker = tracker;
        this.config = config;
        this.rows = config.jmxRows();
        this.version = version;
        this.missingHooks = missingHooks;
        this.libraryHooks = libraryHooks;
        this.kernel = kernel;
        this.censusAgeMillis = censusAgeMillis;
        this.reports = reports;
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
        Assessment assessment = new Assessment(kernel.get(), config);
        Map<String, CallSiteRow> out = new LinkedHashMap<>();
        for (CallSite site : all.subList(0, Math.min(rows, all.size()))) {
            Stats s = site.stats();
            Assessment.SiteVerdict v = assessment.site(site);
            out.put(site.key(), new CallSiteRow(site.label(), site.stack(), s.connects(), s.accepts(), s.failures(), s.failuresByCause(),
                    s.open(), s.closes(), s.leaks(), s.medianLifetimeMillis(), s.p99LifetimeMillis(),
                    s.openRatePerSecond(10), s.openRatePerSecond(60), site.destinations(), v.kernel().ownedTimeWait(),
                    v.kernel().closeWait(), v.churning(), site.bindsFirst(), s.acceptRatePerSecond(10)));
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
        Assessment assessment = new Assessment(kernel.get(), config);
        Map<String, DestinationRow> out = new LinkedHashMap<>();
        for (Destination d : all.subList(0, Math.min(rows, all.size()))) {
            Stats s = d.stats();
            Assessment.DestinationVerdict v = assessment.destination(d);
            PortBudget b = v.budget();
            out.put(d.key(), new DestinationRow(d.key(), s.connects(), s.failures(), s.failuresByCause(),
                    s.failures(FailureCause.ADDRESS_NOT_AVAILABLE), s.open(), s.closes(), s.openRatePerSecond(10),
                    s.openRatePerSecond(60), s.medianLifetimeMillis(), v.kernel().timeWait(), v.kernel().ownedTimeWait(),
                    b.inUse(), b.budget(), b.headroomPercent(), b.holdKnown() ? b.holdSeconds() : Double.NaN,
                    b.secondsToExhaustion(), assessment.view().available() ? assessment.view().unseen().toward(d) : -1));
        }
        return out;
    }

    @Override
    public long getDestinationRowsOmitted() {
        return Math.max(0, tracker.destinations().size() - rows);
    }

    @Override
    public long getUnseenConnections() {
        KernelView v = kernel.get();
        return v.available() ? v.unseen().count() : -1;
    }

    @Override
    public long getPreexistingConnections() {
        KernelView v = kernel.get();
        return v.available() ? v.unseen().preexisting() : -1;
    }

    @Override
    public long getTimeWaitCount() {
        return kernel.get().timeWait();
    }

    @Override
    public long getOwnedTimeWaitCount() {
        return kernel.get().ownedTimeWait();
    }

    @Override
    public long getOwnedCloseWaitCount() {
        return kernel.get().ownedCloseWait();
    }

    @Override
    public String getEphemeralPortRange() {
        return kernel.get().portRange();
    }

    @Override
    public long getEphemeralPortBudget() {
        return kernel.get().portBudget();
    }

    @Override
    public int getTcpTwReuse() {
        return kernel.get().twReuse();
    }

    @Override
    public Map<String, PeerRow> getPeers() {
        List<Peer> all = tracker.peers();
        all.sort(Comparator.comparingLong(Peer::accepts).reversed());
        Assessment assessment = new Assessment(kernel.get(), config);
        Map<String, PeerRow> out = new LinkedHashMap<>();
        for (Peer p : all.subList(0, Math.min(rows, all.size()))) {
            Assessment.PeerVerdict v = assessment.peer(p);
            out.put(p.key(), new PeerRow(p.host(), p.localPort(),
                    p.accepts(), p.open(), p.ended(Peer.Ending.CLOSED_HERE), p.ended(Peer.Ending.CLOSED_BY_PEER),
                    p.ended(Peer.Ending.RESET_BY_PEER), p.acceptRatePerSecond(10), v.ownedTimeWait(),
                    v.projectedPeerPortUse(), v.churning()));
        }
        return out;
    }

    @Override
    public long getPeerRowsOmitted() {
        return Math.max(0, tracker.peers().size() - rows);
    }

    @Override
    public boolean getCensusAvailable() {
        return kernel.get().available();
    }

    @Override
    public boolean getCensusPartial() {
        return kernel.get().partial();
    }

    @Override
    public String getCensusUnreadable() {
        return kernel.get().describeUnread();
    }

    @Override
    public double getCensusMillis() {
        return kernel.get().scanMillis();
    }

    @Override
    public long getRecentCloseDropCount() {
        return tracker.recentCloseDropCount();
    }

    @Override
    public long getCensusAgeMillis() {
        return censusAgeMillis.get();
    }

    @Override
    public boolean getCensusStale() {
        return censusAgeMillis.get() > 3 * config.censusIntervalMillis() + 2_000;
    }

    @Override
    public String report() {
        return reports.get().text();
    }

    @Override
    public String reportJson() {
        return reports.get().json();
    }

    @Override
    public void reset() {
        tracker.reset();
    }

    @Override
    public String[] getMissingHooks() {
        return missingHooks.get().toArray(new String[0]);
    }

    @Override
    public Map<String, String> getLibraryHooks() {
        return libraryHooks.get();
    }

    @Override
    public String getOptions() {
        return config.explicitOptions();
    }

    @Override
    public String getVersion() {
        return version;
    }

    @Override
    public String getCallSiteIdentity() {
        return tracker.callSiteIdentity();
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
