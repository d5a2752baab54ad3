package dev.avps.conform;

import dev.avps.generated.blk.VirtioBlkStatus;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.device.VirtioDevice;
import java.nio.ByteBuffer;

/** Our zoned blk broken one way each, for {@link BrokenDevicesTest}. */
final class BrokenZoned {

    private BrokenZoned() {
    }

    /** A host-managed disk that keeps FEATURES_OK when the driver declines ZONED. */
    static final class KeepsFeaturesOk extends Backends.Forwarding {
        KeepsFeaturesOk(VirtioDevice d) {
            super(d);
        }

        @Override
        public boolean acceptsFeatures(long features) {
            return true;
        }
    }

    /**
     * A zoned disk that answers OK where it should say ZONE_UNALIGNED_WP (a write off the write
     * pointer or not a whole write granule), writing nothing: the driver is told a lie.
     */
    static final class HidesUnalignedWp extends Backends.Forwarding {
        HidesUnalignedWp(VirtioDevice d) {
            super(d);
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            int used = d.handle(queue, request);
            int last = request.writableCount() - 1;
            if (last >= 0) {
                ByteBuffer status = request.writableView(last);
                int at = status.limit() - 1;
                if (at >= 0 && status.get(at) == (byte) VirtioBlkStatus.VIRTIO_BLK_S_ZONE_UNALIGNED_WP) {
                    status.put(at, (byte) VirtioBlkStatus.VIRTIO_BLK_S_OK);
                }
            }
            return used;
        }
    }
}
