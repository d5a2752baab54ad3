package dev.avps.vhostuser;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.device.FeatureSet;
import dev.avps.runtime.device.VirtioDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vhost-user's feature word has 64 bits: a device needing more is refused up front, not truncated. */
class FeatureWordLimitTest {

    private static VirtioDevice offering(FeatureSet bits) {
        return new VirtioDevice() {
            @Override
            public long features() {
                return bits.low();
            }

            @Override
            public FeatureSet offeredFeatures() {
                return bits;
            }

            @Override
            public int queueCount() {
                return 1;
            }

            @Override
            public int configSize() {
                return 0;
            }

            @Override
            public void readConfig(int offset, byte[] dst) {
            }

            @Override
            public int handle(int queue, DescriptorChain request) {
                return 0;
            }
        };
    }

    @Test
    void aDeviceOfferingBit64IsRefusedWithTheBitsNamed(@TempDir Path dir) {
        Path socket = dir.resolve("wide.sock");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VhostUserServer.start(socket, offering(FeatureSet.of(32, 64, 70))));
        assertTrue(e.getMessage().contains("[64, 70]"), e.getMessage());
        assertFalse(Files.exists(socket), "nothing was bound");
    }

    @Test
    void bit63IsStillServed(@TempDir Path dir) throws Exception {
        try (VhostUserServer s = VhostUserServer.start(dir.resolve("ok.sock"), offering(FeatureSet.of(32, 63)))) {
            assertTrue(Files.exists(dir.resolve("ok.sock")));
        }
    }
}
