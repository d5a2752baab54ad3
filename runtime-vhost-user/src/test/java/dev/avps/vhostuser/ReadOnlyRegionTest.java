package dev.avps.vhostuser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.QueueConfig;
import dev.avps.runtime.Virtqueues;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A region's fd is mapped with the access it grants and no more: a front end that shares an
 * O_RDONLY fd of a read-only file as guest RAM, and points a device-writable buffer into it, gets
 * the table refused and the file keeps its bytes.
 */
class ReadOnlyRegionTest {

    static final long VICTIM_GPA = 0x4000_0000L;
    static final long VICTIM_UVA = 0x7e00_0000_0000L;
    static final int VICTIM_SIZE = 4096;

    @TempDir
    Path dir;

    VhostUserServer server;
    SharedMemory ram;
    Path victim;

    @BeforeEach
    void start() throws IOException {
        server = VhostUserServer.start(dir.resolve("ro.sock"), new EchoDevice());
        ram = new SharedMemory(dir, 1 << 20);
        victim = dir.resolve("victim.bin");
        Files.write(victim, new byte[VICTIM_SIZE]);
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("r--r--r--"));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        ram.close();
    }

    @Test
    void aReadOnlyFdIsRefusedAndItsFileIsNeverWritten() throws Exception {
        try (FileInputStream ro = new FileInputStream(victim.toFile())) {
            String reason = attack(ro.getFD());
            assertArrayEquals(new byte[VICTIM_SIZE], Files.readAllBytes(victim), "the read-only file was written");
            assertTrue(reason.contains("region 1") && reason.contains("read-only"), reason);
        }
    }

    @Test
    void anOPathFdIsRefused() throws Exception {
        FileDescriptor path = TestLibc.openPath(victim.toString());
        try {
            String reason = attack(path);
            assertTrue(reason.contains("region 1") && reason.contains("O_PATH"), reason);
        } finally {
            Fds.closeQuietly(path);
        }
    }

    /**
     * Shares {@code victimFd} as region 1 beside honest RAM, then asks the echo device to copy a
     * request into a buffer inside region 1. Returns why the server closed the connection.
     */
    String attack(FileDescriptor victimFd) throws Exception {
        int endedBefore = server.ended();
        long features = EchoDevice.VERSION_1;
        try (FrontEnd fe = new FrontEnd(server.path()); TestEventFd kick = new TestEventFd();
                TestEventFd call = new TestEventFd()) {
            fe.send(VhostUserRequest.SET_FEATURES, FrontEnd.u64(features));
            fe.send(VhostUserRequest.SET_MEM_TABLE, FrontEnd.memTable(
                    new long[] {SharedMemory.GPA, ram.size, SharedMemory.UVA, 0},
                    new long[] {VICTIM_GPA, VICTIM_SIZE, VICTIM_UVA, 0}), ram.fd(), victimFd);
            QueueConfig cfg = QueueConfig.layout(features, 64, SharedMemory.GPA, 0);
            DriverQueue driver = Virtqueues.driver(ram.memory, cfg, features);
            byte[] payload = "written through a read-only fd".getBytes(StandardCharsets.US_ASCII);
            ram.memory.write(SharedMemory.GPA + 0x8000, payload, 0, payload.length);
            driver.addOut(SharedMemory.GPA + 0x8000, payload.length).addIn(VICTIM_GPA, 64).submit(1);
            try {
                fe.send(VhostUserRequest.SET_VRING_NUM, FrontEnd.state(1, 64));
                fe.send(VhostUserRequest.SET_VRING_BASE, FrontEnd.state(1, 0));
                fe.send(VhostUserRequest.SET_VRING_ADDR, VhostUserServerTest.addr(ram, cfg));
                fe.send(VhostUserRequest.SET_VRING_CALL, FrontEnd.u64(1), call.fd);
                fe.send(VhostUserRequest.SET_VRING_KICK, FrontEnd.u64(1), kick.fd);
                kick.signal();
            } catch (IOException e) {
                // the server already closed the connection
            }
            assertFalse(call.await(1_000), "the device completed a request into the victim region");
            assertTrue(fe.closedByPeer(), "the server closes the connection");
        }
        VhostUserServerTest.waitFor(() -> server.ended() > endedBefore);
        return server.lastEndReason();
    }
}
