package dev.avps.devices;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.Completion;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.DeviceQueue;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.runtime.memory.GuestMemory;
import dev.avps.runtime.transport.LoopbackTransport;

/**
 * A driver and a device queue in one JVM over shared guest memory, for device unit tests: the
 * test stages a chain on {@link #driver()}, then {@link #serve} hands it to the device exactly as
 * a transport would and returns the used length the driver sees.
 */
public final class LoopbackDriver {

    private final LoopbackTransport transport;
    private final DeviceQueue device;
    private final DescriptorChain chain;
    private final Completion completion = new Completion();
    /** The device deferred {@link #chain}; offer it again instead of popping. */
    private boolean held;

    public LoopbackDriver() {
        try {
            transport = LoopbackTransport.create(1L << 32, 16, 0, 1 << 16, false);
        } catch (VirtqueueException e) {
            throw new IllegalStateException("a fresh loopback ring cannot be invalid", e);
        }
        device = transport.device();
        chain = device.newChain();
    }

    public GuestMemory memory() {
        return transport.memory();
    }

    public DriverQueue driver() {
        return transport.driver();
    }

    /** First guest-physical address free for request buffers. */
    public long data() {
        return transport.dataBase();
    }

    /** Lets {@code d} handle the chain submitted last; returns the used length. */
    public int serve(VirtioDevice d, int queue) throws Exception {
        int used = offer(d, queue);
        assertTrue(used != VirtioDevice.DEFER, "the device completed the chain");
        return used;
    }

    /** Whether the device deferred the chain offered last (it will be offered again first). */
    public boolean holding() {
        return held;
    }

    /**
     * Offers {@code d} the chain it deferred last or else the next submitted one, as a transport
     * does; returns the used length, or {@link VirtioDevice#DEFER} when the device keeps the chain.
     */
    public int offer(VirtioDevice d, int queue) throws Exception {
        if (!held) {
            assertTrue(device.pop(chain), "a chain was submitted");
        }
        int used = d.handle(queue, chain);
        held = used == VirtioDevice.DEFER;
        if (held) {
            return used;
        }
        device.addUsed(chain, used);
        device.flushUsed();
        assertTrue(driver().pollUsed(completion), "the driver sees the completion");
        return completion.length();
    }
}
