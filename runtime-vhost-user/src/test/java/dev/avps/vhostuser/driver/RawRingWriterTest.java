package dev.avps.vhostuser.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.DeviceQueue;
import dev.avps.runtime.QueueConfig;
import dev.avps.runtime.VirtioFeatures;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.Virtqueues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the raw writer puts in the ring is what a device queue reads: each hostile case gets its stated reason. */
class RawRingWriterTest {
    static final long VERSION_1 = 1L << 32;

    @ParameterizedTest
    @EnumSource(HostileChain.class)
    void eachHostileChainGetsItsReasonFromTheRuntimesDeviceQueue(HostileChain chain) throws Exception {
        try (GuestRam ram = GuestRam.create(new GuestRam.Region(0x1000, 1 << 16))) {
            QueueConfig config = QueueConfig.layout(VERSION_1, 8, 0x1000, 0);
            DeviceQueue device = Virtqueues.device(ram.memory(), config, VERSION_1);
            chain.inject(new RawRingWriter(ram.memory(), config), 0x8000);
            VirtqueueException e = assertThrows(VirtqueueException.class, () -> pop(device));
            assertEquals(chain.expected(), e.reason(), e.getMessage());
        }
    }

    /** Pops and reads the whole chain, as a device does before it serves a request. */
    private static void pop(DeviceQueue device) throws VirtqueueException {
        DescriptorChain c = device.newChain();
        assertTrue(device.pop(c), "the published head is seen");
        c.readableBytes();
        c.writableBytes();
    }

    @Test
    void aRawPackedDescriptorIsReadAsWritten() throws Exception {
        long features = VERSION_1 | VirtioFeatures.RING_PACKED;
        try (GuestRam ram = GuestRam.create(new GuestRam.Region(0x1000, 1 << 16))) {
            QueueConfig config = QueueConfig.layout(features, 8, 0x1000, 0);
            DeviceQueue device = Virtqueues.device(ram.memory(), config, features);
            RawRingWriter w = new RawRingWriter(ram.memory(), config);
            w.packedDescriptor(0, 0x8000, 24, 5, RawRingWriter.F_NEXT, true);
            w.packedDescriptor(1, 0x9000, 40, 5, RawRingWriter.F_WRITE, true);
            DescriptorChain c = device.newChain();
            assertTrue(device.pop(c));
            assertEquals(24, c.readableBytes());
            assertEquals(40, c.writableBytes());
        }
    }
}
