package io.ephemera.track;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded set of interned entries: lock-free and allocation-free to look up, inserted under a
 * lock on the rare path where an entry is new. Open addressing with linear probing over a table at
 * most half full, so a probe ends at an empty slot quickly. Entries are never removed.
 *
 * @param <E> the entry type
 */
abstract class InternTable<E> {

    private final AtomicReferenceArray<E> slots;
    private final int mask;
    private final int max;
    private volatile int size;

    InternTable(int max) {
        int capacity = Integer.highestOneBit(Math.max(4, max * 2 + 1)) << 1;
        this.slots = new AtomicReferenceArray<>(capacity);
        this.mask = capacity - 1;
        this.max = max;
    }

    /** Whether {@code entry} is the one for the key ({@code k1}, {@code k2}). */
    abstract boolean matches(E entry, Object k1, long k2);

    /** The entry for the key, or null. */
    final E find(int hash, Object k1, long k2) {
        for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
            E e = slots.get(i);
            if (e == null) {
                return null;
            }
            if (matches(e, k1, k2)) {
                return e;
            }
        }
    }

    /**
     * Inserts {@code entry} unless the key is present (returns the present one) or the table is
     * full (returns null).
     */
    final synchronized E insert(int hash, Object k1, long k2, E entry) {
        for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
            E e = slots.get(i);
            if (e == null) {
                if (size >= max) {
                    return null;
                }
                slots.set(i, entry); // volatile write: publishes the fully built entry to readers
                size++;
                return entry;
            }
            if (matches(e, k1, k2)) {
                return e;
            }
        }
    }

    /** Whether one more entry fits. */
    final boolean full() {
        return size >= max;
    }

    final int size() {
        return size;
    }

    final List<E> entries() {
        List<E> out = new ArrayList<>(size);
        for (int i = 0; i <= mask; i++) {
            E e = slots.get(i);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }
}
