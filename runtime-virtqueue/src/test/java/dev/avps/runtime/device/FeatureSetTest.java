package dev.avps.runtime.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureSetTest {

    @Test
    void bitsPast63AreDistinctFromTheirLowNamesakes() {
        // The bug a long would have: 1L << 64 == 1L << 0.
        assertNotEquals(FeatureSet.of(0), FeatureSet.of(64));
        assertNotEquals(FeatureSet.of(6), FeatureSet.of(70));
        assertTrue(FeatureSet.of(64).has(64));
        assertFalse(FeatureSet.of(64).has(0));
        assertEquals(new FeatureSet(1L << 32, 1L << 6), FeatureSet.of(32, 70));
    }

    @Test
    void setOperationsWorkAcrossBothWords() {
        FeatureSet a = FeatureSet.of(1, 64, 100);
        FeatureSet b = FeatureSet.of(1, 100, 127);
        assertEquals(FeatureSet.of(1, 100), a.and(b));
        assertEquals(FeatureSet.of(1, 64, 100, 127), a.or(b));
        assertEquals(FeatureSet.of(64), a.andNot(b));
        assertTrue(a.or(b).containsAll(a));
        assertFalse(a.containsAll(b));
        assertTrue(a.intersects(FeatureSet.of(64)));
        assertEquals(List.of(1, 64, 100), a.bits());
        assertTrue(a.needsHighWord());
        assertFalse(FeatureSet.of(63).needsHighWord());
        assertEquals(FeatureSet.of(1, 100), a.without(64));
        assertEquals(a, FeatureSet.of(1, 100).with(64));
    }

    @Test
    void wordsAreTheTransportsThirtyTwoBitSelections() {
        FeatureSet f = FeatureSet.of(0, 33, 64, 127);
        assertEquals(1, f.word(0));
        assertEquals(2, f.word(1));
        assertEquals(1, f.word(2));
        assertEquals(Integer.MIN_VALUE, f.word(3));
        assertThrows(IllegalArgumentException.class, () -> f.word(4));
    }

    @Test
    void bitsOutsideTheRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FeatureSet.of(128));
        assertThrows(IllegalArgumentException.class, () -> FeatureSet.of(-1));
        assertThrows(IllegalArgumentException.class, () -> FeatureSet.EMPTY.has(128));
    }

    @Test
    void printsBothWordsInHex() {
        assertEquals("0x100000000", FeatureSet.of(32).toString());
        assertEquals("0x10000000000000001", FeatureSet.of(0, 64).toString());
    }
}
