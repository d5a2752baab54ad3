package dev.avps.runtime;

import dev.avps.runtime.memory.GuestMemory;
import dev.avps.runtime.memory.MemoryRegion;

/**
 * A guest with two regions: ring + data at 0x1000..0x11000, a second region at 0x20000 (leaving a
 * hole in between) and an adjacent third one at 0x21000 to test buffers crossing regions.
 */
final class Fixture {
    static final long DATA = 0x8000;
    static final long INDIRECT_TABLE = 0x6000;
    static final long SECOND = 0x20000;
    static final long THIRD = 0x21000;

    final GuestMemory memory = new GuestMemory(MemoryRegion.heap(0x1000, 0x10000),
            MemoryRegion.direct(SECOND, 0x1000), MemoryRegion.heap(THIRD, 0x1000));
    final QueueConfig config;
    final RawRing raw;
    final long features;

    Fixture(long features, int size) {
        this.features = features;
        this.config = QueueConfig.layout(features, size, 0x1000, 0);
        this.raw = new RawRing(memory, config);
        memory.fill(0x1000, 0x10000, (byte) 0);
    }

    boolean packed() {
        return VirtioFeatures.has(features, VirtioFeatures.RING_PACKED);
    }

    DeviceQueue device() throws VirtqueueException {
        return Virtqueues.device(memory, config, features);
    }

    DriverQueue driver() throws VirtqueueException {
        return Virtqueues.driver(memory, config, features);
    }
}
