package dev.avps.conform;

import dev.avps.devices.sound.SoundDevice;
import dev.avps.generated.sound.VirtioSndCode;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.device.VirtioDevice;

/** Our sound broken one way each, for {@link BrokenDevicesTest}. */
final class SoundSide {

    private SoundSide() {
    }

    /**
     * Our sound claiming one jack (config {@code jacks} = 1) and describing it with feature bit 1,
     * which the chapter does not define, and padding left dirty.
     */
    static final class BadJack extends Backends.Forwarding {
        /** virtio_snd_query_info is 16 bytes; one jack entry (24) after the 4-byte status. */
        static final int QUERY = 16;
        static final int ANSWER = 4 + 24;

        BadJack(VirtioDevice d) {
            super(d);
        }

        @Override
        public void readConfig(int offset, byte[] dst) {
            d.readConfig(offset, dst);
            for (int i = 0; i < dst.length; i++) {
                if (offset + i == 0) {
                    dst[i] = 1; // jacks, low byte
                }
            }
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            if (queue == SoundDevice.Q_CONTROLQ && request.readableBytes() >= QUERY && request.writableBytes() >= ANSWER
                    && request.readIntLE(0) == VirtioSndCode.VIRTIO_SND_R_JACK_INFO && request.readIntLE(4) == 0
                    && request.readIntLE(8) == 1) {
                request.writeIntLE(0, (int) VirtioSndCode.VIRTIO_SND_S_OK);
                request.writeIntLE(4, 0); // hda_fn_nid
                request.writeIntLE(8, 0x2); // features: bit 1 is not a VIRTIO_SND_JACK_F_*
                request.writeIntLE(12, 0);
                request.writeIntLE(16, 0);
                request.writeByte(20, (byte) 1); // connected
                for (int k = 21; k < ANSWER; k++) {
                    request.writeByte(k, (byte) 0x55);
                }
                return ANSWER;
            }
            return d.handle(queue, request);
        }
    }
}
