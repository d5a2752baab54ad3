package dev.avps.conform;

import dev.avps.conform.model.Catalog;
import dev.avps.conform.report.HtmlReport;
import dev.avps.conform.report.JUnitXml;
import dev.avps.generated.gpio.VirtioGpioIrqStatus;
import dev.avps.generated.gpio.VirtioGpioMsgType;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.device.FeatureSet;
import dev.avps.runtime.device.VirtioDevice;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Test helpers: scratch disk images, cached catalog models, reports kept under target/, broken devices. */
final class Backends {
    /** Where the tests leave their reports (CI keeps target/conformance-reports). */
    static final Path REPORTS = Path.of("target", "conformance-reports");
    static final long RO = 1L << 5;
    static final long FLUSH = 1L << 9;
    static final long LIFETIME = 1L << 15;
    /** virtio_blk_config.writeback's offset (VIRTIO 1.4 5.2.4). */
    static final int WRITEBACK = 32;

    private static final Map<String, Catalog> CATALOGS = new HashMap<>();

    private Backends() {
    }

    static synchronized Catalog catalog(String device) throws IOException {
        Catalog c = CATALOGS.get(device);
        if (c == null) {
            c = Catalog.load(device);
            CATALOGS.put(device, c);
        }
        return c;
    }

    /** A sparse raw image of {@code mib} MiB. */
    static Path image(Path dir, String name, int mib) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength((long) mib << 20);
        }
        return p;
    }

    /** Writes the HTML and JUnit XML reports of a run under target/conformance-reports/{@code name}. */
    static void keep(DeviceReport r, String name) throws IOException {
        Path dir = REPORTS.resolve(name);
        HtmlReport.write(r, dir);
        JUnitXml.write(r, dir);
    }

    /**
     * Passes everything to another device, every hook included (a merged receive packet depends on
     * midMessage, a config change on onConfigChange); the broken devices override one thing each.
     */
    static class Forwarding implements VirtioDevice {
        final VirtioDevice d;

        Forwarding(VirtioDevice d) {
            this.d = d;
        }

        @Override
        public long features() {
            return d.features();
        }

        @Override
        public FeatureSet offeredFeatures() {
            return FeatureSet.ofLow(features());
        }

        @Override
        public int queueCount() {
            return d.queueCount();
        }

        @Override
        public int configSize() {
            return d.configSize();
        }

        @Override
        public void readConfig(int offset, byte[] dst) {
            d.readConfig(offset, dst);
        }

        @Override
        public void writeConfig(int offset, byte[] src) {
            d.writeConfig(offset, src);
        }

        @Override
        public void featuresNegotiated(long features) {
            d.featuresNegotiated(features & d.features());
        }

        @Override
        public void featuresNegotiated(FeatureSet features) {
            featuresNegotiated(features.low());
        }

        @Override
        public boolean acceptsFeatures(long features) {
            return d.acceptsFeatures(features);
        }

        @Override
        public void queueStarted(int queue, Runnable wakeup) {
            d.queueStarted(queue, wakeup);
        }

        @Override
        public void queueStopped(int queue) {
            d.queueStopped(queue);
        }

        @Override
        public void queueIdle(int queue) {
            d.queueIdle(queue);
        }

        @Override
        public void onConfigChange(Runnable notifier) {
            d.onConfigChange(notifier);
        }

        @Override
        public void usedPublishing(int queue) {
            d.usedPublishing(queue);
        }

        @Override
        public boolean midMessage(int queue) {
            return d.midMessage(queue);
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            return d.handle(queue, request);
        }

        @Override
        public void reset() {
            d.reset();
        }
    }

    /**
     * Serves every request as the device does, then writes one byte just past the end of the last
     * writable buffer: the runtime's chain views stop at the buffer, so it reaches past them the
     * way native code would, through the raw address (the checker's buffers have guard bytes
     * there, inside guest RAM).
     */
    static final class Overrun extends Forwarding {
        Overrun(VirtioDevice d) {
            super(d);
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            int used = d.handle(queue, request);
            int n = request.writableCount();
            if (n > 0) {
                MemorySegment last = MemorySegment.ofBuffer(request.writableView(n - 1));
                MemorySegment.ofAddress(last.address() + last.byteSize()).reinterpret(1).set(ValueLayout.JAVA_BYTE, 0,
                        (byte) 0x42);
            }
            return used;
        }
    }

    /** Offers RO but serves writes anyway. */
    static final class IgnoresReadOnly extends Forwarding {
        IgnoresReadOnly(VirtioDevice d) {
            super(d);
        }

        @Override
        public long features() {
            return d.features() | RO;
        }
    }

    /** A gpio whose lines always read 0, whatever was set: GET_VALUE (type 4) answers value 0. */
    static final class StuckLow extends Forwarding {
        StuckLow(VirtioDevice d) {
            super(d);
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            int used = d.handle(queue, request);
            if (queue == 0 && request.readableBytes() >= 2 && request.readShortLE(0) == 4
                    && request.writableBytes() >= 2) {
                request.writeByte(1, (byte) 0);
            }
            return used;
        }
    }

    /**
     * A gpio that answers SET_DIRECTION and SET_VALUE with a status only: the value byte is left
     * as the driver's buffer had it.
     */
    static final class StatusOnlySetReplies extends Forwarding {
        StatusOnlySetReplies(VirtioDevice d) {
            super(d);
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            int type = request.readableBytes() >= 2 ? request.readShortLE(0) : -1;
            boolean set = queue == 0 && request.writableCount() > 0 && request.writableLength(0) >= 2
                    && (type == VirtioGpioMsgType.VIRTIO_GPIO_MSG_SET_DIRECTION || type == VirtioGpioMsgType.VIRTIO_GPIO_MSG_SET_VALUE);
            byte before = set ? request.writableView(0).get(1) : 0;
            int used = d.handle(queue, request);
            if (set) {
                request.writeByte(1, before);
            }
            return used;
        }
    }

    /** A gpio that returns every eventq buffer at once as a VALID interrupt, armed or not. */
    static final class EventsAtOnce extends Forwarding {
        EventsAtOnce(VirtioDevice d) {
            super(d);
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            if (queue == 1 && request.writableBytes() >= 1) {
                request.writeByte(0, (byte) VirtioGpioIrqStatus.VIRTIO_GPIO_IRQ_STATUS_VALID);
                return 1;
            }
            return d.handle(queue, request);
        }
    }

    /** An i2c that lets a driver run without the mandatory ZERO_LENGTH_REQUEST. */
    static final class AcceptsAnyFeatures extends Forwarding {
        AcceptsAnyFeatures(VirtioDevice d) {
            super(d);
        }

        @Override
        public boolean acceptsFeatures(long features) {
            return true;
        }
    }

    /** Takes every request and never completes one. */
    static final class Silent extends Forwarding {
        Silent(VirtioDevice d) {
            super(d);
        }

        @Override
        public int handle(int queue, DescriptorChain request) {
            return DEFER;
        }
    }

    /** The offset of a {@code virtio_vsock_hdr} field, from the catalog (the broken vsocks edit headers). */
    static int vsockHdr(String field) {
        try {
            return catalog("vsock").device().structs().stream().filter(x -> x.name().equals("virtio_vsock_hdr"))
                    .findFirst().orElseThrow().field(field).orElseThrow().offset();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A vsock tx chain whose header sits whole in its first readable descriptor, as the checks send it. */
    private static java.nio.ByteBuffer txHeader(int queue, DescriptorChain request) {
        if (queue != 1 || request.readableCount() == 0 || request.readableLength(0) < vsockHdr("fwd_cnt") + 4) {
            return null;
        }
        return request.readableView(0);
    }

    /** A vsock that takes a packet of a type it does not know and answers nothing. */
    static final class SilentOnUnknownType extends Forwarding {
        SilentOnUnknownType(VirtioDevice d) {
            super(d);
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            java.nio.ByteBuffer h = txHeader(queue, request);
            if (h != null) {
                int type = h.getShort(vsockHdr("type")) & 0xffff;
                if (type != dev.avps.generated.vsock.VirtioVsockType.VIRTIO_VSOCK_TYPE_STREAM
                        && type != dev.avps.generated.vsock.VirtioVsockType.VIRTIO_VSOCK_TYPE_SEQPACKET) {
                    return 0;
                }
            }
            return d.handle(queue, request);
        }
    }

    /**
     * A vsock that ignores the credit the driver advertises: it sees every packet as if the driver
     * had a 1 MiB buffer (the header is put back as it was before the chain is returned).
     */
    static final class IgnoresCredit extends Forwarding {
        IgnoresCredit(VirtioDevice d) {
            super(d);
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            java.nio.ByteBuffer h = txHeader(queue, request);
            if (h == null) {
                return d.handle(queue, request);
            }
            int at = vsockHdr("buf_alloc");
            int original = h.getInt(at);
            h.putInt(at, 1 << 20);
            try {
                return d.handle(queue, request);
            } finally {
                h.putInt(at, original);
            }
        }
    }

    /** A vsock whose packets to the driver always say fwd_cnt 0, however much it forwarded. */
    static final class StuckFwdCnt extends Forwarding {
        StuckFwdCnt(VirtioDevice d) {
            super(d);
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            int used = d.handle(queue, request);
            int at = vsockHdr("fwd_cnt");
            if (queue == 0 && used != DEFER && used >= at + 4 && request.writableLength(0) >= at + 4) {
                request.writableView(0).putInt(at, 0);
            }
            return used;
        }
    }

    /** A blk request's type, or -1 when the chain has no header to read it from. */
    private static int blkType(DescriptorChain request) {
        return request.readableBytes() >= 16 ? request.readIntLE(0) : -1;
    }

    /**
     * Takes a range request with a flag it may not carry (an undefined one, or unmap on a discard)
     * as done: OK without acting, where the device would have refused it with UNSUPP.
     */
    static final class IgnoresRangeFlags extends Forwarding {
        IgnoresRangeFlags(VirtioDevice d) {
            super(d);
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            int type = blkType(request);
            int flags = request.readableBytes() >= 32 ? request.readIntLE(28) : 0;
            boolean refused = (flags & ~1) != 0 || (type == 11 && flags != 0);
            if ((type == 11 || type == 13 || type == 14) && refused && request.writableBytes() >= 1) {
                request.writeByte(request.writableBytes() - 1, (byte) 0);
                return 1;
            }
            return d.handle(queue, request);
        }
    }

    /** Offers CONFIG_WCE but not FLUSH. */
    static final class NoFlush extends Forwarding {
        NoFlush(VirtioDevice d) {
            super(d);
        }

        @Override
        public long features() {
            return d.features() & ~FLUSH;
        }
    }

    /** Always reads writeback as 1, whatever was negotiated. */
    static final class WritebackAlwaysOne extends Forwarding {
        WritebackAlwaysOne(VirtioDevice d) {
            super(d);
        }

        @Override
        public void readConfig(int offset, byte[] dst) {
            d.readConfig(offset, dst);
            if (offset <= WRITEBACK && WRITEBACK < offset + dst.length) {
                dst[WRITEBACK - offset] = 1;
            }
        }
    }

    /** Offers LIFETIME and answers GET_LIFETIME (type 10) with the given three values. */
    static final class Lifetime extends Forwarding {
        private final short[] values;

        Lifetime(VirtioDevice d, int preEol, int estA, int estB) {
            super(d);
            this.values = new short[] {(short) preEol, (short) estA, (short) estB};
        }

        @Override
        public long features() {
            return d.features() | LIFETIME;
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            if (blkType(request) != 10 || request.writableBytes() < 7) {
                return d.handle(queue, request);
            }
            for (int i = 0; i < 3; i++) {
                request.writeShortLE(2L * i, values[i]);
            }
            request.writeByte(request.writableBytes() - 1, (byte) 0);
            return 7;
        }
    }

    /** Answers every zone request (types 15 to 26) with OK, ZONED negotiated or not. */
    static final class ServesZoneRequests extends Forwarding {
        ServesZoneRequests(VirtioDevice d) {
            super(d);
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            int used = d.handle(queue, request);
            int type = blkType(request);
            if (type >= 15 && type <= 26 && request.writableBytes() >= 1) {
                request.writeByte(request.writableBytes() - 1, (byte) 0);
            }
            return used;
        }
    }
}
