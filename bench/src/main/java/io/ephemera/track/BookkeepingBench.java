package io.ephemera.track;

import io.ephemera.hook.Hook;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.ref.ReferenceQueue;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * The tracker's bookkeeping once the call site is known: the steps {@link Tracker#connected} and
 * {@link Tracker#closed} take after {@link CallSites#current()}, on the same classes, for one
 * connection: destination lookup, the {@link Connection} record, the connection table, the
 * counters, rate window and lifetime histogram of the site and the destination, the recent-closes
 * ring. (The tracker itself cannot be entered past its stack walk; {@code CallSiteBench} measures
 * the two together.) Per operation: one connect and its close.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class BookkeepingBench {

    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private final Object owner = new Object();
    private Destinations destinations;
    private ConnectionTable table;
    private RecentCloses closes;
    private CallSite site;
    private InetAddress address;
    private long opened;
    private long closed;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        destinations = new Destinations(1000, Clock.SYSTEM);
        table = new ConnectionTable(100_000);
        closes = new RecentCloses(65_536);
        site = new CallSite(42, "site", "site", "", true, Clock.SYSTEM);
        address = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
    }

    @TearDown(Level.Trial)
    public void check() {
        if (opened != closed || site.stats().connects() != opened || site.stats().closes() != closed
                || site.stats().open() != 0 || table.size() != 0) {
            throw new IllegalStateException("counts drifted");
        }
    }

    @Benchmark
    public Connection connectAndClose() {
        // connected(): destination, record, table, counters
        Destination d = destinations.intern(address, 443);
        Connection c = new Connection(owner, queue, ConnectionTable.hash(owner), site, d, false, Hook.API_CHANNEL,
                address, 443, Connection.OPEN);
        if (!table.add(c, owner)) {
            throw new IllegalStateException("not added");
        }
        long now = Clock.SYSTEM.nanoTime();
        c.openNanos = now;
        c.openEpochMillis = System.currentTimeMillis();
        site.stats().opened(false, now, true);
        d.stats().opened(false, now, true);
        site.reached(d);
        opened++;
        // closed(): table, state, counters, histogram, ring
        Connection r = table.remove(owner);
        r.end();
        r.clear();
        long end = Clock.SYSTEM.nanoTime();
        r.closeNanos = end;
        closes.add(r, end);
        site.stats().closed(end - r.openNanos, false);
        d.stats().closed(end - r.openNanos, false);
        closed++;
        return r;
    }
}
