package dev.avps.devices.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.Completion;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.DeviceQueue;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.runtime.transport.LoopbackTransport;
import java.util.ArrayList;
import java.util.List;

/**
 * One queue of a net device over the runtime's loopback driver and device queues, served the way
 * the vhost-user worker serves it: chains are handled in a batch, a deferred chain is offered again
 * first, and {@link VirtioDevice#usedPublishing} comes right before the used entries are published.
 */
final class NetRing {

    static final int DATA = 256 * 1024;

    private final LoopbackTransport t;
    private final DeviceQueue device;
    private final DescriptorChain chain;
    private final int queue;
    private boolean parked;
    private long next;

    NetRing(int queue) throws Exception {
        this.queue = queue;
        t = LoopbackTransport.create(1L << 32, 64, 0, DATA, false);
        device = t.device();
        chain = device.newChain();
    }

    DriverQueue driver() {
        return t.driver();
    }

    /** Guest memory for {@code n} bytes (reused round-robin: tests keep few buffers outstanding). */
    private long alloc(int n) {
        if (next + n > DATA) {
            next = 0;
        }
        long at = t.dataBase() + next;
        next += (n + 63) & ~63;
        return at;
    }

    /** A used buffer: its cookie and the bytes the device wrote. */
    record Used(long cookie, byte[] bytes) {
    }

    /**
     * Submits one chain with {@code out} readable and {@code inLen} writable bytes, serves it, and
     * returns what the device wrote (null if it deferred the chain).
     */
    Used request(VirtioDevice d, byte[] out, int inLen) throws Exception {
        DriverQueue q = t.driver();
        long in = 0;
        if (out.length > 0) {
            long at = alloc(out.length);
            t.memory().write(at, out, 0, out.length);
            q.addOut(at, out.length);
        }
        if (inLen > 0) {
            in = alloc(inLen);
            q.addIn(in, inLen);
        }
        q.submit(in);
        List<Used> used = serve(d);
        return used.isEmpty() ? null : used.get(0);
    }

    /** Posts receive buffers of these sizes, serves the queue, and returns the used ones in order. */
    List<Used> receive(VirtioDevice d, int... sizes) throws Exception {
        for (int s : sizes) {
            long at = alloc(s);
            t.driver().addIn(at, s);
            assertTrue(t.driver().submit(at) >= 0, "the ring has room");
        }
        return serve(d);
    }

    /** Serves every available chain (the parked one first) and reclaims what the device used. */
    List<Used> serve(VirtioDevice d) throws Exception {
        List<Integer> lengths = new ArrayList<>();
        while (parked || device.pop(chain)) {
            int n = d.handle(queue, chain);
            if (n == VirtioDevice.DEFER) {
                parked = true;
                break;
            }
            parked = false;
            device.addUsed(chain, n);
            lengths.add(n);
        }
        d.usedPublishing(queue);
        device.flushUsed();
        List<Used> out = new ArrayList<>();
        Completion c = new Completion();
        while (t.driver().pollUsed(c)) {
            byte[] b = new byte[c.length()];
            if (c.cookie() != 0 && c.length() > 0) {
                t.memory().read(c.cookie(), b, 0, b.length);
            }
            out.add(new Used(c.cookie(), b));
        }
        return out;
    }
}
