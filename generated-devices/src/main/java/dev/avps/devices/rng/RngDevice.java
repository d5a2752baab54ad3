package dev.avps.devices.rng;

import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.device.VirtioDevice;
import java.security.SecureRandom;
import java.util.Random;
import java.util.function.Consumer;

/**
 * virtio-rng (device ID 4): one request queue whose buffers the device fills with entropy. The
 * device has no configuration space and no feature bits of its own.
 */
public final class RngDevice implements VirtioDevice {

    private static final long VERSION_1 = 1L << 32;
    /** Large requests are filled in slices so the buffer stays small and reused. */
    private static final int SLICE = 4096;

    private final Random source;
    private final Consumer<byte[]> tap;
    private final byte[] buf = new byte[SLICE];

    /** Entropy from the platform's strong source. */
    public RngDevice() {
        this(new SecureRandom(), b -> { });
    }

    /**
     * @param source where bytes come from
     * @param tap    sees every byte handed to the driver, in order (tests prove the guest got ours)
     */
    public RngDevice(Random source, Consumer<byte[]> tap) {
        this.source = source;
        this.tap = tap;
    }

    @Override
    public long features() {
        return VERSION_1;
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
        // no configuration space
    }

    @Override
    public int handle(int queue, DescriptorChain request) throws VirtqueueException {
        long want = request.writableBytes();
        long done = 0;
        while (done < want) {
            int n = (int) Math.min(SLICE, want - done);
            byte[] slice = n == SLICE ? buf : new byte[n];
            source.nextBytes(slice);
            request.copyToWritable(done, slice, 0, n);
            tap.accept(n == SLICE ? slice.clone() : slice);
            done += n;
        }
        return (int) done;
    }
}
