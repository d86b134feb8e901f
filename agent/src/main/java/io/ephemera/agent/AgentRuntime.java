package io.ephemera.agent;

import io.ephemera.config.Config;
import io.ephemera.hook.Hook;
import io.ephemera.jmx.ConnectionAudit;
import io.ephemera.jmx.ConnectionAuditMXBean;
import io.ephemera.kernel.Census;
import io.ephemera.report.Reporter;
import io.ephemera.track.Tracker;

import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The running agent: the tracker behind the hook, the instrumentation, the MXBean and the one
 * housekeeping thread. Loaded only after the hook classes are in the bootstrap loader.
 */
final class AgentRuntime {

    private final Config config;
    private final Tracker tracker;
    private final Installer installer = new Installer();
    private final Census census;
    private final Reporter reporter;
    private final long startMillis = System.currentTimeMillis();
    private final AtomicBoolean degradedLogged = new AtomicBoolean();
    /** The agent running in this JVM, for the command line's requests; null until it runs. */
    private static volatile AgentRuntime current;

    private AgentRuntime(Config config, Tracker tracker, Instrumentation inst, Faults faults) {
        this.config = config;
        this.tracker = tracker;
        this.census = new Census(java.nio.file.Path.of(config.procRoot()), config.censusIntervalMillis(), tracker,
                Log::warn);
        this.reporter = new Reporter(tracker, faults.reportKernel(census::view), config, inst);
    }

    static void start(Config config, Instrumentation inst, boolean attached) {
        Tracker tracker = new Tracker(config, AgentRuntime.class.getProtectionDomain().getCodeSource(), inst);
        Faults faults = Faults.fromSystemProperties();
        if (!Hook.install(faults.sink(tracker))) {
            Log.warn("already loaded in this JVM; this second load is ignored"
                    + (config.explicitOptions().isEmpty() ? "" : " and its options (" + config.explicitOptions()
                    + ") are not applied"));
            return;
        }
        AgentRuntime runtime = new AgentRuntime(config, tracker, inst, faults);
        System.setProperty("ephemera.agent.version", version()); // how `list` and `attach` tell it is loaded
        String jar = jarPath();
        if (jar != null) {
            System.setProperty("ephemera.agent.jar", jar); // what `report` loads to ask it, as this JVM sees the path
        }
        current = runtime;
        int installed = runtime.installer.install(inst, faults.hookLibraries());
        runtime.census.markPreexisting(); // after the hooks: what is open now was opened before them
        List<String> missing = runtime.installer.missing();
        Log.info(String.format("%s %s: following TCP connections on JDK %s (%s), %d of %d hooks%s; MXBean %s",
                attached ? "attached" : "started", version(), Runtime.version(), System.getProperty("java.vm.vendor"),
                installed, runtime.installer.expected(),
                config.explicitOptions().isEmpty() ? "" : ", options " + config.explicitOptions(),
                ConnectionAuditMXBean.OBJECT_NAME) + "; call sites by " + tracker.callSiteIdentity());
        for (String m : missing) {
            Log.warn("hook not installed on JDK " + Runtime.version() + ": " + m);
        }
        if (Boolean.getBoolean("jdk.net.usePlainSocketImpl") || "".equals(System.getProperty("jdk.net.usePlainSocketImpl"))) {
            Log.info("-Djdk.net.usePlainSocketImpl is set: the old socket implementation is in use; "
                    + "connections are still seen, through java.net.Socket");
        }
        runtime.daemon(runtime::housekeeping, "ephemera-housekeeping");
        runtime.daemon(faults.censusTask(runtime.census), "ephemera-census");
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(runtime::atExit, "ephemera-exit-report"));
        } catch (IllegalStateException | SecurityException e) {
            // already shutting down: no last report
        }
    }

    /** The last report. Bounded: it must never hold up the JVM's shutdown. */
    private void atExit() {
        Thread t = new Thread(() -> {
            try {
                reporter.atExit();
            } catch (Throwable e) {
                tracker.agentError(e);
            }
        }, "ephemera-exit-report-writer");
        t.setDaemon(true);
        t.start();
        try {
            t.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            Log.warn("the last report did not finish within 2 s; the JVM shuts down without it");
        }
        logDegraded(); // a short-lived application may end before the housekeeping thread looked
    }

    /**
     * Starts one of the agent's threads. Should it end with an error, that is counted and said in
     * one line, never printed as an uncaught exception into the application's stderr.
     */
    private void daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> {
            tracker.agentError(e);
            Log.error("the agent's thread " + thread.getName() + " ended", e);
        });
        t.start();
    }

    /** The running agent's reports, or null when no agent runs in this JVM. */
    static AgentCommand.ReportSource reports() {
        AgentRuntime r = current;
        if (r == null) {
            return null;
        }
        return new AgentCommand.ReportSource() {
            @Override
            public String text() {
                return r.reporter.report().text();
            }

            @Override
            public String json() {
                return r.reporter.report().json();
            }
        };
    }

    /** The absolute path of this agent's jar; null when the classes do not come from a jar. */
    private static String jarPath() {
        try {
            java.nio.file.Path p = java.nio.file.Path.of(AgentRuntime.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI()).toAbsolutePath();
            return java.nio.file.Files.isRegularFile(p) ? p.toString() : null;
        } catch (Exception e) {
            return null;
        }
    }

    static String version() {
        String v = AgentRuntime.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Registers the MXBean, then notices leaked connections and reports agent failures, once each. */
    private void housekeeping() {
        if (config.jfrEnabled()) {
            tracker.events(io.ephemera.jfr.JfrEvents.create()); // here, not in premain: JFR takes a while to start
        }
        registerMBean();
        while (true) {
            try {
                tracker.reapUnreachable(1_000);
                for (String line : installer.libraryNews()) {
                    Log.info(line);
                }
                reporter.tick();
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                tracker.agentError(t);
            }
            logDegraded();
        }
    }

    /** Says once, in one line, that the agent swallowed a failure inside itself; then only counts. */
    private void logDegraded() {
        Throwable error = tracker.firstAgentError();
        if (error != null && degradedLogged.compareAndSet(false, true)) {
            Log.error("the agent degraded: a failure inside it was swallowed so the application would not see it; "
                    + "further ones are only counted (AgentErrorCount)", error);
        }
    }

    private long censusAgeMillis() {
        long last = census.lastPassEndMillis();
        return System.currentTimeMillis() - (last == 0 ? startMillis : last); // a first pass that never ends is stale too
    }

    private void registerMBean() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(ConnectionAuditMXBean.OBJECT_NAME);
            if (!server.isRegistered(name)) {
                server.registerMBean(new ConnectionAudit(tracker, config, version(), installer::missing, installer::libraryHooks,
                        census::view,
                        this::censusAgeMillis, reporter::report), name);
            }
        } catch (Throwable t) {
            Log.error("could not register the MXBean " + ConnectionAuditMXBean.OBJECT_NAME + ": " + t);
        }
    }
}
