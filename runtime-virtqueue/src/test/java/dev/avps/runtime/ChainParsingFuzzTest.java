package dev.avps.runtime;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of chain parsing with Jazzer. In a normal build this only replays the
 * seed inputs under {@code src/test/resources/dev/avps/runtime/ChainParsingFuzzTestInputs}; the
 * bounded random fuzz that always runs is {@link ChainParsingRandomTest}. For a real campaign:
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -pl runtime-virtqueue test -Dtest=ChainParsingFuzzTest -Djazzer.max_duration=10m
 * </pre>
 */
class ChainParsingFuzzTest {
    private static final long[] FEATURES = {0, VirtioFeatures.INDIRECT_DESC, VirtioFeatures.EVENT_IDX,
            VirtioFeatures.IN_ORDER, VirtioFeatures.INDIRECT_DESC | VirtioFeatures.IN_ORDER};
    private static final int[] SIZES = {2, 4, 8};

    @FuzzTest(maxDuration = "5m")
    void ringBytes(FuzzedDataProvider data) {
        boolean packed = data.consumeBoolean();
        long features = VirtioFeatures.VERSION_1 | data.pickValue(FEATURES) | (packed ? VirtioFeatures.RING_PACKED : 0);
        int size = data.pickValue(SIZES);
        ChainOracle.exercise(features, size, data.consumeRemainingAsBytes());
    }
}
