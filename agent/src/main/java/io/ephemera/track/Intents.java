package io.ephemera.track;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The call sites that asked libraries for connections not made yet: a library object (a Netty
 * channel, an OkHttp call) to the application's call site, remembered on the application's thread
 * and read on the library's thread that connects. Keys are held weakly and by identity: a library
 * object is never kept alive or asked for its {@code hashCode}.
 *
 * <p>Bounded: each key hashes to a window of {@value #PROBE} slots; when all hold live keys the
 * oldest is replaced and the loss counted. An entry is read within milliseconds of being written
 * (the library connects right after it was asked to), so only a burst of more than the table's
 * size of connections asked for at once and not yet made loses one: it is then attributed to the
 * library thread's own stack, as without this table. Striped locks, each held for a few reads and
 * writes, never across I/O.
 */
final class Intents {

    private static final int STRIPES = 16;
    private static final int PROBE = 8;

    private final Stripe[] stripes = new Stripe[STRIPES];
    private final int stripeMask;
    private final AtomicLong sequence = new AtomicLong();
    private final LongAdder drops = new LongAdder();

    /** @param capacity slots in all; rounded up to a power of two, at least {@value #STRIPES} × {@value #PROBE} */
    Intents(int capacity) {
        int perStripe = Integer.highestOneBit(Math.max(PROBE, capacity / STRIPES - 1)) << 1;
        this.stripeMask = perStripe - 1;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe(perStripe);
        }
    }

    /** The call site remembered for {@code key}, or null. */
    CallSite get(Object key) {
        int h = hash(key);
        Stripe s = stripes[h & (STRIPES - 1)];
        int start = (h >>> 4) & stripeMask;
        synchronized (s) {
            for (int i = 0; i < PROBE; i++) {
                Entry e = s.slots[(start + i) & stripeMask];
                if (e != null && e.hash == h && e.get() == key) {
                    return e.site;
                }
            }
        }
        return null;
    }

    /** Remembers {@code site} for {@code key} unless {@code key} has one already; false when it had. */
    boolean putIfAbsent(Object key, CallSite site) {
        int h = hash(key);
        Stripe s = stripes[h & (STRIPES - 1)];
        int start = (h >>> 4) & stripeMask;
        long now = sequence.incrementAndGet();
        synchronized (s) {
            int free = -1;
            int oldest = -1;
            long oldestStamp = Long.MAX_VALUE;
            for (int i = 0; i < PROBE; i++) {
                int slot = (start + i) & stripeMask;
                Entry e = s.slots[slot];
                Object k = e == null ? null : e.get();
                if (k == null) {
                    if (free < 0) {
                        free = slot;
                    }
                } else if (k == key) {
                    return false;
                } else if (e.stamp < oldestStamp) {
                    oldestStamp = e.stamp;
                    oldest = slot;
                }
            }
            if (free < 0) {
                free = oldest;
                drops.increment();
            }
            s.slots[free] = new Entry(key, h, site, now);
        }
        return true;
    }

    /** Call sites forgotten before their library connected, because the table was full around them. */
    long drops() {
        return drops.sum();
    }

    private static int hash(Object key) {
        int h = System.identityHashCode(key);
        return h ^ (h >>> 16);
    }

    private static final class Stripe {
        final Entry[] slots;

        Stripe(int size) {
            this.slots = new Entry[size];
        }
    }

    private static final class Entry extends WeakReference<Object> {
        final int hash;
        final CallSite site;
        final long stamp;

        Entry(Object key, int hash, CallSite site, long stamp) {
            super(key);
            this.hash = hash;
            this.site = site;
            this.stamp = stamp;
        }
    }
}
