package dev.avps.conform;

import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.device.VirtioDevice;

/** Our net broken one way each, for BrokenDevicesTest: everything else is forwarded as it is. */
final class NetVariants {

    private NetVariants() {
    }

    /** Writes num_buffers 0 into the header of every packet it receives into one buffer (receiveq1 is queue 0). */
    static final class NumBuffersZero extends Backends.Forwarding {
        /** num_buffers' offset in virtio_net_hdr_v1 (VIRTIO 1.4 5.1.6). */
        private static final int NUM_BUFFERS = 10;

        NumBuffersZero(VirtioDevice d) {
            super(d);
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            int used = d.handle(queue, request);
            // Only a first buffer (num_buffers 1 as written): later buffers of a merged packet hold frame bytes there.
            if (queue == 0 && used >= 12 && request.writableLength(0) >= 12 && request.writableView(0).get(NUM_BUFFERS) == 1
                    && request.writableView(0).get(NUM_BUFFERS + 1) == 0) {
                request.writeByte(NUM_BUFFERS, (byte) 0);
                request.writeByte(NUM_BUFFERS + 1, (byte) 0);
            }
            return used;
        }
    }

    /** Answers a control command of a class the chapter does not define (9 on) with 2, an undefined ack. */
    static final class UndefinedAckForUnknownClass extends Backends.Forwarding {
        /** The control queue of a device with one queue pair. */
        private static final int CONTROLQ = 2;

        UndefinedAckForUnknownClass(VirtioDevice d) {
            super(d);
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            if (queue == CONTROLQ && request.readableBytes() >= 1 && (request.readByte(0) & 0xff) >= 9
                    && request.writableBytes() >= 1) {
                request.writeByte(0, (byte) 2);
                return 1;
            }
            return d.handle(queue, request);
        }
    }
}
