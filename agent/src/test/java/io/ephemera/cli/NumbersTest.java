package io.ephemera.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NumbersTest {

    @Test
    void groupsThousands() {
        assertEquals("0", Numbers.grouped(0));
        assertEquals("999", Numbers.grouped(999));
        assertEquals("1,000", Numbers.grouped(1000));
        assertEquals("28,232", Numbers.grouped(28232));
        assertEquals("1,234,567", Numbers.grouped(1234567));
        assertEquals("-64,512", Numbers.grouped(-64512));
    }

    @Test
    void roundsHalfUpToTheGivenPlaces() {
        assertEquals("47.2", Numbers.decimal(47.16, 1));
        assertEquals("100.0", Numbers.decimal(100, 1));
        assertEquals("0.1", Numbers.decimal(0.05, 1));
        assertEquals("60.000", Numbers.decimal(60, 3));
        assertEquals("0.005", Numbers.decimal(0.005, 3));
        assertEquals("471", Numbers.decimal(470.6, 0));
        assertEquals("-1.3", Numbers.decimal(-1.25, 1));
        assertEquals("0.0", Numbers.decimal(-0.01, 1));
    }

    @Test
    void digitsOnly() {
        assertTrue(Numbers.digits("4194304", 7));
        assertFalse(Numbers.digits("41943040", 7));
        assertFalse(Numbers.digits("", 7));
        assertFalse(Numbers.digits("1a", 7));
        assertFalse(Numbers.digits("١٢", 7), "not ASCII digits");
    }

    @Test
    void pads() {
        assertEquals("  ab", Numbers.right("ab", 4));
        assertEquals("ab  ", Numbers.left("ab", 4));
        assertEquals("abcdef", Numbers.right("abcdef", 4));
    }
}
