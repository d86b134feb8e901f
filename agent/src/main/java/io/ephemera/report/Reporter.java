package io.ephemera.report;

import io.ephemera.config.Config;
import io.ephemera.kernel.KernelView;
import io.ephemera.track.CallSite;
import io.ephemera.track.FailureCause;
import io.ephemera.track.Tracker;

import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes the findings: every {@code report.interval}, at shutdown, and, for
 * {@code address-not-available}, within a second of the failure (one line per call site per
 * interval, with the count). Driven by the agent's housekeeping thread; never by the application's.
 */
public final class Reporter {

    private final Tracker tracker;
    private final Supplier<KernelView> kernel;
    private final Config config;
    private final Instrumentation inst;
    private final ReportOutput fixed;
    private ReportOutput slf4j;
    private long nextReportNanos;
    private final Map<CallSite, long[]> notified = new IdentityHashMap<>(); // failures seen, last line nanos

    public Reporter(Tracker tracker, Supplier<KernelView> kernel, Config config, Instrumentation inst) {
        this.tracker = tracker;
        this.kernel = kernel;
        this.config = config;
        this.inst = inst;
        this.fixed = config.reportFile().isEmpty() ? null : new FileOutput(Path.of(config.reportFile()));
        this.nextReportNanos = System.nanoTime() + config.reportIntervalMillis() * 1_000_000L;
    }

    /** The report as of now. */
    public Report report() {
        return Findings.report(tracker, kernel.get(), config);
    }

    /** Called about once a second. */
    public synchronized void tick() {
        long now = System.nanoTime();
        addressNotAvailable(now);
        if (config.reportIntervalMillis() > 0 && now - nextReportNanos >= 0) {
            nextReportNanos = now + config.reportIntervalMillis() * 1_000_000L;
            write(report());
        }
    }

    /** The last report, from the shutdown hook. */
    public synchronized void atExit() {
        if (config.reportOnExit()) {
            write(report());
        }
    }

    private void write(Report r) {
        ReportOutput out = output();
        boolean nothing = r.findings().isEmpty();
        out.write(nothing ? ReportOutput.Level.DEBUG : ReportOutput.Level.INFO, r.headerLine());
        for (Finding f : r.findings()) {
            out.write(f.kind() == FindingKind.LONG_LIVED ? ReportOutput.Level.INFO : ReportOutput.Level.WARN,
                    Report.block(f));
        }
    }

    private void addressNotAvailable(long now) {
        long interval = Math.max(1_000L, config.reportIntervalMillis()) * 1_000_000L;
        for (CallSite s : tracker.callSites()) {
            long failures = s.stats().failures(FailureCause.ADDRESS_NOT_AVAILABLE);
            long[] seen = notified.computeIfAbsent(s, k -> new long[] {0, now - interval});
            if (failures > seen[0] && now - seen[1] >= interval) {
                Finding f = new Finding(FindingKind.ADDRESS_NOT_AVAILABLE,
                        Findings.addressNotAvailableFields(s, failures - seen[0], kernel.get()), s.stack());
                output().write(ReportOutput.Level.WARN, Report.block(f));
                seen[0] = failures;
                seen[1] = now;
            }
        }
    }

    /** Where reports go now: the file if set, else the application's SLF4J once it has one, else stderr. */
    ReportOutput output() {
        if (fixed != null) {
            return fixed;
        }
        if (slf4j == null) {
            slf4j = Slf4jOutput.find(inst);
        }
        return slf4j != null ? slf4j : STDERR;
    }

    private static final ReportOutput STDERR = new StderrOutput();
}
