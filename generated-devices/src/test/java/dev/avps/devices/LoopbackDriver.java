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
        assertTrue(device.pop(chain), "a chain was submitted");
        device.addUsed(chain, d.handle(queue, chain));
        device.flushUsed();
        assertTrue(driver().pollUsed(completion), "the driver sees the completion");
        return completion.length();
    }
}
