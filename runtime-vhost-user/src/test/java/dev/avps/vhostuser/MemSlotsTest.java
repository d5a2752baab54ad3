package dev.avps.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.QueueConfig;
import dev.avps.runtime.Virtqueues;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONFIGURE_MEM_SLOTS as libblkio uses it: every message asks for an ack, memory arrives one
 * region at a time (ADD_MEM_REG) in the front end's own address space, and regions come and go
 * while the rings run.
 */
class MemSlotsTest {

    static final int ACK = Message.VERSION | Message.FLAG_NEED_REPLY;
    static final long EXTRA_GPA = 0x4000_0000L;
    static final long EXTRA_UVA = 0x7e00_0000_0000L;

    @TempDir
    Path dir;

    EchoDevice device;
    VhostUserServer server;

    @BeforeEach
    void start() throws IOException {
        device = new EchoDevice();
        server = VhostUserServer.start(dir.resolve("dev.sock"), device);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    static byte[] slot(long guest, long size, long user, long offset) {
        return ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(guest).putLong(size)
                .putLong(user).putLong(offset).array();
    }

    /** The protocol features libblkio insists on; every later message here asks for an ack. */
    static void negotiate(FrontEnd fe) throws IOException {
        long pf = fe.getU64(VhostUserRequest.GET_PROTOCOL_FEATURES);
        assertTrue((pf & ProtocolFeature.bit(ProtocolFeature.CONFIGURE_MEM_SLOTS)) != 0, "CONFIGURE_MEM_SLOTS offered");
        fe.send(VhostUserRequest.SET_PROTOCOL_FEATURES, FrontEnd.u64(ProtocolFeature.bit(ProtocolFeature.REPLY_ACK)
                | ProtocolFeature.bit(ProtocolFeature.CONFIGURE_MEM_SLOTS)));
    }

    /** Sends with NEED_REPLY and requires the ack to report success. */
    static void acked(FrontEnd fe, VhostUserRequest r, byte[] payload, FileDescriptor... fds) throws IOException {
        fe.send(r.code(), ACK, payload, fds);
        assertEquals(0, fe.reply(r).getLong(0), r + " acknowledged with success");
    }

    @Test
    void ringsRunOnRegionsAddedAndRemovedOneByOne() throws Exception {
        scenario(0);
        // Lazily created JDK and junixsocket resources are not leaks: count around a second run.
        long fdsBefore = HostileFrontEndTest.openFds();
        scenario(30);
        assertEquals(fdsBefore, HostileFrontEndTest.settle(fdsBefore), "open fds before and after a connection");
    }

    private void scenario(int handledBefore) throws Exception {
        Path extraFile = dir.resolve("extra-" + handledBefore + ".bin");
        try (SharedMemory ram = new SharedMemory(dir, 1 << 20); FrontEnd fe = new FrontEnd(server.path());
                RandomAccessFile extra = new RandomAccessFile(extraFile.toFile(), "rw");
                TestEventFd kick = new TestEventFd(); TestEventFd call = new TestEventFd()) {
            extra.setLength(64 << 10);
            negotiate(fe);
            acked(fe, VhostUserRequest.SET_OWNER, new byte[0]);
            acked(fe, VhostUserRequest.SET_FEATURES, FrontEnd.u64(EchoDevice.VERSION_1));
            assertEquals(MemoryTable.MAX_REGIONS, fe.getU64(VhostUserRequest.GET_MAX_MEM_SLOTS));
            acked(fe, VhostUserRequest.ADD_MEM_REG, slot(SharedMemory.GPA, ram.size, SharedMemory.UVA, 0), ram.fd());

            QueueConfig cfg = QueueConfig.layout(EchoDevice.VERSION_1, 8, SharedMemory.GPA, 0);
            acked(fe, VhostUserRequest.SET_VRING_NUM, FrontEnd.state(1, 8));
            acked(fe, VhostUserRequest.SET_VRING_BASE, FrontEnd.state(1, 0));
            acked(fe, VhostUserRequest.SET_VRING_ADDR, VhostUserServerTest.addr(ram, cfg));
            acked(fe, VhostUserRequest.SET_VRING_KICK, FrontEnd.u64(1), kick.fd);
            acked(fe, VhostUserRequest.SET_VRING_CALL, FrontEnd.u64(1), call.fd);
            acked(fe, VhostUserRequest.SET_VRING_ENABLE, FrontEnd.state(1, 1));
            DriverQueue driver = Virtqueues.driver(ram.memory, cfg, EchoDevice.VERSION_1);
            VhostUserServerTest.rounds(ram, driver, kick, call, 0, 10);

            // A second region while the ring runs: the ring carries on where it was.
            byte[] extraSlot = slot(EXTRA_GPA, 64 << 10, EXTRA_UVA, 0);
            acked(fe, VhostUserRequest.ADD_MEM_REG, extraSlot, extra.getFD());
            assertEquals(1, HostileFrontEndTest.mappingsOf(extraFile), "the backend mapped the new region");
            VhostUserServerTest.rounds(ram, driver, kick, call, 10, 20);
            acked(fe, VhostUserRequest.REM_MEM_REG, extraSlot, extra.getFD());
            assertEquals(0, HostileFrontEndTest.mappingsOf(extraFile), "and unmapped it when told");
            VhostUserServerTest.rounds(ram, driver, kick, call, 20, 30);
            assertEquals(handledBefore + 30, device.handled.get(), "every request handled exactly once");

            // Removing it again names nothing that is mapped: the connection ends, saying so.
            fe.send(VhostUserRequest.REM_MEM_REG.code(), ACK, extraSlot, extra.getFD());
            assertTrue(fe.closedByPeer());
        }
        VhostUserServerTest.waitFor(() -> server.ended() == server.accepted());
        assertTrue(server.lastEndReason().contains("REM_MEM_REG names a region that is not mapped"),
                server.lastEndReason());
    }

    /** Sends one bad slot request on a fresh connection and returns why the server ended it. */
    private String rejected(SharedMemory ram, int goodSlotsFirst, VhostUserRequest r, byte[] payload,
            FileDescriptor... fds) throws Exception {
        try (FrontEnd fe = new FrontEnd(server.path())) {
            negotiate(fe);
            for (int i = 0; i < goodSlotsFirst; i++) {
                acked(fe, VhostUserRequest.ADD_MEM_REG,
                        slot(SharedMemory.GPA + i * 4096L, 4096, SharedMemory.UVA + i * 4096L, i * 4096L), ram.fd());
            }
            fe.send(r.code(), ACK, payload, fds);
            assertTrue(fe.closedByPeer(), "the server ended the connection");
        }
        // The next connection must not be refused for overlapping this one: wait until it is gone.
        VhostUserServerTest.waitFor(() -> server.ended() == server.accepted());
        return server.lastEndReason();
    }

    @Test
    void badSlotsEndTheConnectionWithTheReason() throws Exception {
        long fdsBefore = HostileFrontEndTest.openFds();
        try (SharedMemory ram = new SharedMemory(dir, 1 << 20)) {
            byte[] whole = slot(SharedMemory.GPA, ram.size, SharedMemory.UVA, 0);
            assertTrue(rejected(ram, 0, VhostUserRequest.ADD_MEM_REG, new byte[32], ram.fd())
                    .contains("takes exactly 40"));
            assertTrue(rejected(ram, 0, VhostUserRequest.ADD_MEM_REG, whole).contains("needs 1 fd"));
            String overlap = rejected(ram, 1, VhostUserRequest.ADD_MEM_REG,
                    slot(SharedMemory.GPA, 4096, SharedMemory.UVA + (1 << 21), 0), ram.fd());
            assertTrue(overlap.contains("overlaps"), overlap);
            String pastEnd = rejected(ram, 0, VhostUserRequest.ADD_MEM_REG,
                    slot(SharedMemory.GPA, 2L << 20, SharedMemory.UVA, 0), ram.fd());
            assertTrue(pastEnd.contains("bytes of its file"), pastEnd);
            String full = rejected(ram, MemoryTable.MAX_REGIONS, VhostUserRequest.ADD_MEM_REG,
                    slot(0x8000_0000L, 4096, 0x6000_0000_0000L, 0), ram.fd());
            assertTrue(full.contains("slots GET_MAX_MEM_SLOTS reported"), full);
            String unknown = rejected(ram, 1, VhostUserRequest.REM_MEM_REG, slot(EXTRA_GPA, 4096, EXTRA_UVA, 0));
            assertTrue(unknown.contains("not mapped"), unknown);
            assertEquals(1, HostileFrontEndTest.mappingsOf(ram.file), "the test's own mapping, none of the backend's");
        }
        assertEquals(fdsBefore, HostileFrontEndTest.settle(fdsBefore), "open fds before and after");
    }
}
