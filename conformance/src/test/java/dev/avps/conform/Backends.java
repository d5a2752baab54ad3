package dev.avps.conform;

import dev.avps.conform.model.Catalog;
import dev.avps.conform.report.HtmlReport;
import dev.avps.conform.report.JUnitXml;
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

    /** Passes everything to another device; the broken devices override one thing each. */
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
        public boolean featuresAcceptable(long features) {
            return d.featuresAcceptable(features);
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
}
