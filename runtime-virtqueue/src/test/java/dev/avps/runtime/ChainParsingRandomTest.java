package dev.avps.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Bounded fuzzing that runs in every build: structure-aware random ring contents (descriptors with
 * plausible and implausible addresses, lengths, flags and next indexes) fed to the device parser.
 */
class ChainParsingRandomTest {
    private static final long[] FEATURE_CHOICES = {0, VirtioFeatures.INDIRECT_DESC, VirtioFeatures.EVENT_IDX,
            VirtioFeatures.IN_ORDER, VirtioFeatures.INDIRECT_DESC | VirtioFeatures.IN_ORDER};

    @Property(tries = 20000)
    void randomRingContentsNeverEscapeTheTypedErrorPath(@ForAll long seed, @ForAll boolean packed,
            @ForAll @IntRange(min = 0, max = 4) int featureChoice, @ForAll @IntRange(min = 0, max = 2) int sizeChoice) {
        int size = new int[] {2, 4, 8}[sizeChoice];
        long features = VirtioFeatures.VERSION_1 | FEATURE_CHOICES[featureChoice] | (packed ? VirtioFeatures.RING_PACKED : 0);
        byte[] ring = generate(new SplittableRandom(seed), features, size);
        ChainOracle.Outcome out = ChainOracle.exercise(features, size, ring);
        assertTrue(out.popped >= 0 && out.popped <= 4 * size + 4);
    }

    /** Guards the generator itself: it must reach both valid chains and many distinct errors. */
    @net.jqwik.api.Example
    void generatorCoversSuccessAndManyErrorKinds() {
        java.util.EnumSet<VirtqueueException.Reason> seen = java.util.EnumSet.noneOf(VirtqueueException.Reason.class);
        int popped = 0;
        SplittableRandom seeds = new SplittableRandom(42);
        for (int i = 0; i < 3000; i++) {
            boolean packed = (i & 1) == 0;
            long features = VirtioFeatures.VERSION_1 | FEATURE_CHOICES[i % 5] | (packed ? VirtioFeatures.RING_PACKED : 0);
            ChainOracle.Outcome out = ChainOracle.exercise(features, 8, generate(seeds.split(), features, 8));
            popped += out.popped;
            if (out.failure != null) {
                seen.add(out.failure);
            }
        }
        assertTrue(popped > 500, "valid chains popped: " + popped);
        assertTrue(seen.size() >= 10, "error kinds reached: " + seen);
    }

    /** Fills the ring areas with descriptors biased towards edge cases. */
    static byte[] generate(SplittableRandom rnd, long features, int size) {
        QueueConfig cfg = QueueConfig.layout(features, size, ChainOracle.BASE, 0);
        byte[] ring = new byte[ChainOracle.SPAN];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(ring).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int desc = (int) (cfg.descriptorArea() - ChainOracle.BASE);
        boolean packed = VirtioFeatures.has(features, VirtioFeatures.RING_PACKED);
        int table = 0x2000;
        // Main ring plus an indirect-table area both get random descriptors.
        for (int area = 0; area < 2; area++) {
            int base = area == 0 ? desc : table;
            int count = area == 0 ? size : 24;
            for (int i = 0; i < count; i++) {
                int o = base + 16 * i;
                b.putLong(o, address(rnd, table));
                b.putInt(o + 8, length(rnd, size));
                int flags = rnd.nextInt(8) & (rnd.nextInt(4) == 0 ? 7 : 3);
                if (packed) {
                    b.putShort(o + 12, (short) rnd.nextInt(size + 2));
                    int wrap = rnd.nextInt(5) == 0 ? rnd.nextInt(4) : 1;
                    flags |= ((wrap & 1) != 0 ? 1 << 7 : 0) | ((wrap & 2) != 0 ? 1 << 15 : 0);
                    b.putShort(o + 14, (short) flags);
                } else {
                    b.putShort(o + 12, (short) flags);
                    b.putShort(o + 14, (short) (rnd.nextInt(6) == 0 ? rnd.nextInt(65536) : rnd.nextInt(size + 1)));
                }
            }
        }
        if (!packed) {
            int avail = (int) (cfg.driverArea() - ChainOracle.BASE);
            int idx = rnd.nextInt(8) == 0 ? rnd.nextInt(65536) : rnd.nextInt(size + 2);
            b.putShort(avail + 2, (short) idx);
            for (int i = 0; i < size; i++) {
                b.putShort(avail + 4 + 2 * i, (short) (rnd.nextInt(8) == 0 ? rnd.nextInt(65536) : rnd.nextInt(size)));
            }
        }
        return ring;
    }

    private static long address(SplittableRandom rnd, int table) {
        switch (rnd.nextInt(7)) {
            case 0: return rnd.nextLong();
            case 1: return ChainOracle.BASE + ChainOracle.SPAN - rnd.nextInt(64);
            case 2: return ChainOracle.BASE + table;
            case 3: return ChainOracle.SECOND + rnd.nextInt(0x110);
            case 4: return -rnd.nextInt(64) - 1L;
            default: return ChainOracle.BASE + 0x3000 + rnd.nextInt(0x800);
        }
    }

    private static int length(SplittableRandom rnd, int size) {
        switch (rnd.nextInt(6)) {
            case 0: return rnd.nextInt();
            case 1: return 0;
            case 2: return 16 * rnd.nextInt(2 * size + 2);
            case 3: return 0x4000 - rnd.nextInt(32);
            default: return 1 + rnd.nextInt(128);
        }
    }
}
