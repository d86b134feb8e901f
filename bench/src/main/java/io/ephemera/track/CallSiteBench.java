package io.ephemera.track;

import io.ephemera.config.Config;
import io.ephemera.hook.Hook;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The hot path in isolation (run through bench/run.sh or bench/jmh.sh, with {@code -prof gc} for
 * bytes per operation):
 * <ul>
 * <li>{@code callSite}: {@link CallSites#current()} for a known call site at a stack
 * {@code depth} frames deep (application frames, then a client library, then the JDK);</li>
 * <li>{@code stackOnly}: building the same stack and returning, the floor to subtract;</li>
 * <li>{@code trackerEvent}: one connect and its close through the {@link Tracker}, as the hook
 * calls it, at the same depth: call site, destination, connection table, counters, rate window,
 * lifetime histogram, recent closes. Minus {@code callSite}, the tracker's bookkeeping.</li>
 * </ul>
 * The owner is an unconnected {@link SocketChannel}: its local address is a field read, so no
 * system call is timed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "--add-opens=java.base/java.lang=ALL-UNNAMED"})
public class CallSiteBench {

    @Param({"10", "40", "120"})
    public int depth;

    /** How call sites are told apart ({@link CallSiteIdentity}): stackwalker is the fallback, and what was before. */
    @Param({"backtrace", "stackwalker"})
    public String identity;

    private CallSites sites;
    private Tracker tracker;
    private SocketChannel owner;
    private InetSocketAddress remote;
    private final Supplier<Object> site = () -> sites.current();
    private final Supplier<Object> event = this::event;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Config config = Config.parse("libraries.add=io.ephemera.track.lib.", new Properties());
        CallSiteIdentity id = CallSiteIdentity.valueOf(identity.toUpperCase(java.util.Locale.ROOT));
        sites = new CallSites(config.callSitesMax(), config.stackDepth(), config.libraries(),
                CallSites.class.getProtectionDomain().getCodeSource(), Clock.SYSTEM, id);
        tracker = new Tracker(config, CallSites.class.getProtectionDomain().getCodeSource(), Clock.SYSTEM, id);
        owner = SocketChannel.open();
        remote = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
        Stack.at(depth, site);
        Stack.at(depth, event);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        long opened = tracker.connectCount();
        if (opened == 0 || tracker.closeCount() != opened || tracker.openConnections() != 0) {
            throw new IllegalStateException("counts drifted: " + opened + " " + tracker.closeCount());
        }
        owner.close();
    }

    private Object event() {
        tracker.connected(owner, Hook.API_CHANNEL, remote, false);
        tracker.closed(owner, Hook.API_CHANNEL, null);
        return owner;
    }

    @Benchmark
    public Object stackOnly() {
        return Stack.at(depth, () -> owner);
    }

    @Benchmark
    public Object callSite() {
        return Stack.at(depth, site);
    }

    @Benchmark
    public Object trackerEvent() {
        return Stack.at(depth, event);
    }
}
