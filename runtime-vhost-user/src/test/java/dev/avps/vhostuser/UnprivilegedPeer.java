package dev.avps.vhostuser;

import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.QueueConfig;
import dev.avps.runtime.Virtqueues;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The attacker of {@link UnprivilegedPeerTest}, run as nobody in its own JVM: connects to a
 * root-run server and, when it can, shares an O_RDONLY fd of a root-owned file as guest RAM and
 * asks the echo device to copy a request into it. Exit codes: 3 could not connect, 4 the device
 * completed the request, 0 the server closed the connection without completing it.
 */
public final class UnprivilegedPeer {

    private UnprivilegedPeer() {
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        Path victim = Path.of(args[1]);
        FrontEnd fe;
        try {
            fe = new FrontEnd(socket);
        } catch (IOException e) {
            System.out.println("REFUSED " + e.getMessage());
            System.exit(3);
            return;
        }
        Path own = Files.createTempDirectory("avps-peer");
        long features = EchoDevice.VERSION_1;
        try (fe; SharedMemory ram = new SharedMemory(own, 1 << 20);
                FileInputStream ro = new FileInputStream(victim.toFile());
                TestEventFd kick = new TestEventFd(); TestEventFd call = new TestEventFd()) {
            QueueConfig cfg = QueueConfig.layout(features, 64, SharedMemory.GPA, 0);
            DriverQueue driver = Virtqueues.driver(ram.memory, cfg, features);
            byte[] payload = "written by nobody".getBytes(StandardCharsets.US_ASCII);
            ram.memory.write(SharedMemory.GPA + 0x8000, payload, 0, payload.length);
            driver.addOut(SharedMemory.GPA + 0x8000, payload.length).addIn(ReadOnlyRegionTest.VICTIM_GPA, 64).submit(1);
            try {
                fe.send(VhostUserRequest.SET_FEATURES, FrontEnd.u64(features));
                fe.send(VhostUserRequest.SET_MEM_TABLE, FrontEnd.memTable(
                        new long[] {SharedMemory.GPA, ram.size, SharedMemory.UVA, 0},
                        new long[] {ReadOnlyRegionTest.VICTIM_GPA, ReadOnlyRegionTest.VICTIM_SIZE,
                            ReadOnlyRegionTest.VICTIM_UVA, 0}), ram.fd(), ro.getFD());
                fe.send(VhostUserRequest.SET_VRING_NUM, FrontEnd.state(1, 64));
                fe.send(VhostUserRequest.SET_VRING_BASE, FrontEnd.state(1, 0));
                fe.send(VhostUserRequest.SET_VRING_ADDR, VhostUserServerTest.addr(ram, cfg));
                fe.send(VhostUserRequest.SET_VRING_CALL, FrontEnd.u64(1), call.fd);
                fe.send(VhostUserRequest.SET_VRING_KICK, FrontEnd.u64(1), kick.fd);
                kick.signal();
            } catch (IOException e) {
                System.out.println("send failed: " + e.getMessage());
            }
            if (call.await(2_000)) {
                System.out.println("COMPLETED");
                System.exit(4);
            }
            System.out.println(fe.closedByPeer() ? "CLOSED" : "STILL OPEN");
        } finally {
            try (var files = Files.list(own)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(own);
        }
    }
}
