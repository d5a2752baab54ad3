package dev.avps.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.QueueConfig;
import dev.avps.runtime.Virtqueues;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One SET_MEM_TABLE region of 5 GiB, the shape QEMU sends for a q35 guest's RAM above 4 GiB: a
 * sparse file of which only the pages the rings and buffers use are ever allocated. The rings sit
 * 4.5 GiB and the buffers 4.75 GiB into the region, beyond what an int offset reaches.
 */
class LargeRegionTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void ringsAndBuffersPastFourGibInOneRegion() throws Exception {
        EchoDevice device = new EchoDevice();
        try (VhostUserServer server = VhostUserServer.start(dir.resolve("large.sock"), device);
                SharedMemory ram = new SharedMemory(dir, 5 * GIB); FrontEnd fe = new FrontEnd(server.path());
                TestEventFd kick = new TestEventFd(); TestEventFd call = new TestEventFd()) {
            long features = EchoDevice.VERSION_1;
            long rings = SharedMemory.GPA + 4 * GIB + GIB / 2;
            long data = SharedMemory.GPA + 4 * GIB + 3 * GIB / 4;
            QueueConfig cfg = VhostUserServerTest.startRing(fe, ram, features, 64, rings, kick, call);
            DriverQueue driver = Virtqueues.driver(ram.memory, cfg, features);
            VhostUserServerTest.rounds(ram, driver, kick, call, 0, 40, data);
            assertEquals(40, device.handled.get());

            // The backend's echo of the last request is in the file at the matching offset.
            byte[] inFile = new byte["request 39".length()];
            try (RandomAccessFile f = new RandomAccessFile(ram.file.toFile(), "r")) {
                f.seek(data + 0x1000 - SharedMemory.GPA);
                f.readFully(inFile);
            }
            assertEquals("request 39", new String(inFile, StandardCharsets.US_ASCII));
        }
    }
}
