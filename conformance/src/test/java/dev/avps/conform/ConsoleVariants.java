package dev.avps.conform;

import dev.avps.generated.console.VirtioConsoleEvent;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.device.VirtioDevice;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Our console changed one way each for the console checks: with an emergency write register of
 * the test's own (which records the bytes; the broken variant below builds on it), and broken on purpose.
 */
final class ConsoleVariants {
    /** VIRTIO_CONSOLE_F_EMERG_WRITE (VIRTIO 1.4 5.3.3). */
    static final long EMERG_WRITE = 1L << 2;
    /** emerg_wr's offset in virtio_console_config (VIRTIO 1.4 5.3.4). */
    static final int EMERG_WR = 8;
    /** The control receiveq's index (VIRTIO 1.4 5.3.2). */
    static final int CONTROL_RECEIVEQ = 2;

    private ConsoleVariants() {
    }

    /** Offers EMERG_WRITE and keeps the low byte of every emerg_wr write, as the chapter's SHOULD asks. */
    static class EmergWrite extends Backends.Forwarding {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        volatile long negotiated;

        EmergWrite(VirtioDevice d) {
            super(d);
        }

        @Override
        public long features() {
            return d.features() | EMERG_WRITE;
        }

        @Override
        public boolean acceptsFeatures(long features) {
            return d.acceptsFeatures(features & ~EMERG_WRITE);
        }

        @Override
        public void featuresNegotiated(long features) {
            negotiated = features;
            super.featuresNegotiated(features);
        }

        @Override
        public void reset() {
            negotiated = 0;
            super.reset();
        }

        @Override
        public void writeConfig(int offset, byte[] src) {
            if (offset == EMERG_WR && src.length > 0) {
                synchronized (written) {
                    written.write(src[0]);
                }
                return;
            }
            super.writeConfig(offset, src);
        }
    }

    /**
     * Takes emerg_wr writes only once EMERG_WRITE is negotiated and chokes on one before (the
     * chapter says a write works even on an unconfigured device).
     */
    static final class EmergOnlyNegotiated extends EmergWrite {
        EmergOnlyNegotiated(VirtioDevice d) {
            super(d);
        }

        @Override
        public void writeConfig(int offset, byte[] src) {
            if (offset == EMERG_WR && (negotiated & EMERG_WRITE) == 0) {
                throw new IllegalStateException("emerg_wr written before EMERG_WRITE was negotiated");
            }
            super.writeConfig(offset, src);
        }
    }

    /** Announces port 0 a second time where it should announce port 1 (PORT_ADD for a port that exists). */
    static final class AddsPortZeroTwice extends Backends.Forwarding {
        AddsPortZeroTwice(VirtioDevice d) {
            super(d);
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            int used = d.handle(queue, request);
            if (queue == CONTROL_RECEIVEQ && used >= 8 && request.writableCount() > 0 && request.writableLength(0) >= 8) {
                ByteBuffer m = request.writableView(0).order(ByteOrder.LITTLE_ENDIAN);
                if (m.getShort(4) == VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_ADD && m.getInt(0) == 1) {
                    m.putInt(0, 0);
                }
            }
            return used;
        }
    }
}
