package io.ephemera.kernel;

/**
 * A set of primitive longs: open addressing, linear probing, no boxing. Socket inodes are
 * looked up once per table line, so a {@code HashSet<Long>} would allocate and chase pointers
 * on the hot path. Zero marks an empty slot, so the key 0 is kept in a flag of its own.
 */
final class LongHashSet {

    private static final int MAX_CAPACITY = 1 << 30;

    private long[] slots;
    private int mask;
    private int size;
    private boolean hasZero;

    LongHashSet() {
        this(16);
    }

    /** A set that holds {@code expected} keys without growing. */
    LongHashSet(int expected) {
        int capacity = 16;
        while (capacity < MAX_CAPACITY && capacity < 2L * expected) {
            capacity <<= 1;
        }
        slots = new long[capacity];
        mask = capacity - 1;
    }

    /** Adds the key; returns false if it was already there. */
    boolean add(long key) {
        if (key == 0) {
            if (hasZero) {
                return false;
            }
            hasZero = true;
            size++;
            return true;
        }
        int i = indexOf(key);
        if (slots[i] == key) {
            return false;
        }
        slots[i] = key;
        size++;
        if (2L * size > slots.length) {
            grow();
        }
        return true;
    }

    boolean contains(long key) {
        return key == 0 ? hasZero : slots[indexOf(key)] == key;
    }

    int size() {
        return size;
    }

    /** The slot holding {@code key}, or the empty slot where it would go. */
    private int indexOf(long key) {
        int i = mix(key) & mask;
        while (slots[i] != 0 && slots[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Inodes are nearly sequential: multiply and fold so neighbours land apart. */
    private static int mix(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ h >>> 32);
    }

    private void grow() {
        if (slots.length >= MAX_CAPACITY) {
            if (size >= slots.length - 1) {
                // a full table would make indexOf spin; a billion open sockets is not a real case
                throw new IllegalStateException("LongHashSet full at " + size + " keys");
            }
            return;
        }
        long[] old = slots;
        slots = new long[old.length * 2];
        mask = slots.length - 1;
        for (long key : old) {
            if (key != 0) {
                slots[indexOf(key)] = key;
            }
        }
    }
}
