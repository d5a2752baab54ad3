package dev.avps.runtime.device;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of virtio feature bits 0..127, held in two longs. VIRTIO 1.4 numbers feature bits past 63
 * (virtio-net's RSS_CONTEXT is bit 64), which a Java {@code long} cannot hold: {@code 1L << 64}
 * is {@code 1L}, since Java shifts by the distance modulo 64. Immutable.
 *
 * @param low  bits 0..63
 * @param high bits 64..127
 */
public record FeatureSet(long low, long high) {

    /** How many bits the set can hold. */
    public static final int BITS = 128;

    /** No bits. */
    public static final FeatureSet EMPTY = new FeatureSet(0, 0);

    /** The bits of a 64-bit feature word (all transports before 128-bit features). */
    public static FeatureSet ofLow(long low) {
        return new FeatureSet(low, 0);
    }

    /** A set of the given bit numbers. */
    public static FeatureSet of(int... bits) {
        long low = 0;
        long high = 0;
        for (int b : bits) {
            check(b);
            if (b < 64) {
                low |= 1L << b;
            } else {
                high |= 1L << (b - 64);
            }
        }
        return new FeatureSet(low, high);
    }

    public boolean has(int bit) {
        check(bit);
        return bit < 64 ? (low & (1L << bit)) != 0 : (high & (1L << (bit - 64))) != 0;
    }

    /** Whether every bit of {@code other} is in this set. */
    public boolean containsAll(FeatureSet other) {
        return (low & other.low) == other.low && (high & other.high) == other.high;
    }

    /** Whether the two sets share a bit. */
    public boolean intersects(FeatureSet other) {
        return (low & other.low) != 0 || (high & other.high) != 0;
    }

    public FeatureSet and(FeatureSet other) {
        return new FeatureSet(low & other.low, high & other.high);
    }

    public FeatureSet or(FeatureSet other) {
        return new FeatureSet(low | other.low, high | other.high);
    }

    /** The bits of this set that {@code other} lacks. */
    public FeatureSet andNot(FeatureSet other) {
        return new FeatureSet(low & ~other.low, high & ~other.high);
    }

    public FeatureSet with(int bit) {
        return or(of(bit));
    }

    public FeatureSet without(int bit) {
        return andNot(of(bit));
    }

    public boolean isEmpty() {
        return low == 0 && high == 0;
    }

    /**
     * The 32-bit word {@code index} (0..3), as transports expose features through a select
     * register (PCI's device_feature_select, MMIO's DeviceFeaturesSel).
     */
    public int word(int index) {
        if (index < 0 || index > 3) {
            throw new IllegalArgumentException("feature word " + index + " is outside 0..3");
        }
        long w = index < 2 ? low : high;
        return (int) (w >>> (32 * (index & 1)));
    }

    /** The bit numbers in ascending order. */
    public List<Integer> bits() {
        List<Integer> out = new ArrayList<>();
        for (int b = 0; b < BITS; b++) {
            if (has(b)) {
                out.add(b);
            }
        }
        return out;
    }

    /** Whether the set needs more than a 64-bit feature word. */
    public boolean needsHighWord() {
        return high != 0;
    }

    @Override
    public String toString() {
        return high == 0 ? "0x" + Long.toHexString(low)
                : "0x" + Long.toHexString(high) + String.format("%016x", low);
    }

    private static void check(int bit) {
        if (bit < 0 || bit >= BITS) {
            throw new IllegalArgumentException("feature bit " + bit + " is outside 0.." + (BITS - 1));
        }
    }
}
