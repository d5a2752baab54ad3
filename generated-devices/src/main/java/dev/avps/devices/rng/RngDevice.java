package dev.avps.devices.rng;

import dev.avps.generated.rng.EntropyRequest;
import dev.avps.generated.rng.RngDeviceBase;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import java.security.SecureRandom;
import java.util.Random;
import java.util.function.Consumer;

/**
 * virtio-rng (device ID 4): one request queue whose buffers the device fills with entropy. Only
 * the logic is written here; features, queues, configuration and dispatch come from
 * {@link RngDeviceBase}, generated from spec-models' rng.avps.
 */
public final class RngDevice extends RngDeviceBase {

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
        super(0);
        this.source = source;
        this.tap = tap;
    }

    @Override
    protected int onEntropy(EntropyRequest entropy) throws VirtqueueException {
        DescriptorChain request = entropy.chain();
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
