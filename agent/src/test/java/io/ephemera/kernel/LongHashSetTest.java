package io.ephemera.kernel;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LongHashSetTest {

    @Test
    void addsAndFindsIncludingZeroAndNegatives() {
        LongHashSet set = new LongHashSet();
        assertFalse(set.contains(0));
        assertTrue(set.add(0));
        assertFalse(set.add(0));
        assertTrue(set.add(-1));
        assertTrue(set.add(Long.MIN_VALUE));
        assertTrue(set.add(Long.MAX_VALUE));
        assertTrue(set.contains(0));
        assertTrue(set.contains(-1));
        assertTrue(set.contains(Long.MIN_VALUE));
        assertTrue(set.contains(Long.MAX_VALUE));
        assertFalse(set.contains(1));
        assertEquals(4, set.size());
    }

    @Test
    void growsAndAgreesWithAHashSet() {
        LongHashSet set = new LongHashSet(4);
        Set<Long> reference = new HashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            // sequential like inodes, with repeats and some random keys
            long key = i % 3 == 0 ? random.nextLong() : 1_000_000 + random.nextInt(60_000);
            assertEquals(reference.add(key), set.add(key));
        }
        assertEquals(reference.size(), set.size());
        for (long key : reference) {
            assertTrue(set.contains(key));
        }
        for (int i = 0; i < 10_000; i++) {
            long key = random.nextLong();
            assertEquals(reference.contains(key), set.contains(key));
        }
    }
}
