package dev.avps.vhostuser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.Completion;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.QueueConfig;
import dev.avps.runtime.Virtqueues;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/** A well-behaved front end: handshake, memory, rings, kicks, calls, config, reconnect. */
class VhostUserServerTest {

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

    @Test
    void featuresAndProtocolFeaturesAreNegotiated() throws IOException {
        try (FrontEnd fe = new FrontEnd(server.path())) {
            long f = fe.getU64(VhostUserRequest.GET_FEATURES);
            assertEquals(EchoDevice.VERSION_1 | Session.RING_FEATURES | (1L << 30), f);
            long pf = fe.getU64(VhostUserRequest.GET_PROTOCOL_FEATURES);
            assertTrue((pf & (1L << ProtocolFeature.CONFIG)) != 0, "a device with config offers CONFIG");
            assertTrue((pf & (1L << ProtocolFeature.REPLY_ACK)) != 0);
            fe.send(VhostUserRequest.SET_PROTOCOL_FEATURES, FrontEnd.u64(pf));
            fe.send(VhostUserRequest.SET_OWNER, new byte[0]);
            fe.send(VhostUserRequest.SET_FEATURES.code(), Message.VERSION | Message.FLAG_NEED_REPLY, FrontEnd.u64(f));
            assertEquals(0, fe.reply(VhostUserRequest.SET_FEATURES).getLong(0), "REPLY_ACK reports success");
            assertEquals(EchoDevice.VERSION_1 | Session.RING_FEATURES, device.negotiated);
            assertEquals(2, fe.getU64(VhostUserRequest.GET_QUEUE_NUM));
        }
    }

    @Test
    void configIsReadAndWrittenThroughTheDevice() throws IOException {
        try (FrontEnd fe = new FrontEnd(server.path())) {
            ByteBuffer get = ByteBuffer.allocate(12 + 10).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(2).putInt(10)
                    .putInt(0);
            fe.send(VhostUserRequest.GET_CONFIG, get.array());
            ByteBuffer r = fe.reply(VhostUserRequest.GET_CONFIG);
            assertEquals(2, r.getInt(0));
            assertEquals(10, r.getInt(4));
            byte[] data = new byte[10];
            r.position(12).get(data);
            // bytes 2..7 of the device's config, then zeros past its end
            assertArrayEquals(new byte[] {12, 13, 14, 15, 16, 17, 0, 0, 0, 0}, data);
            ByteBuffer set = ByteBuffer.allocate(12 + 2).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(6).putInt(2)
                    .putInt(0).put((byte) 99).put((byte) 98);
            fe.send(VhostUserRequest.SET_CONFIG, set.array());
            fe.getU64(VhostUserRequest.GET_FEATURES); // a round trip orders the write before the check
            assertEquals(99, device.config[6]);
            assertEquals(98, device.config[7]);
        }
    }

    @Test
    void requestsRoundTripThroughSharedMemoryWithKickAndCall() throws Exception {
        try (SharedMemory ram = new SharedMemory(dir, 1 << 20); FrontEnd fe = new FrontEnd(server.path())) {
            TestEventFd kick = new TestEventFd();
            TestEventFd call = new TestEventFd();
            long features = EchoDevice.VERSION_1;
            QueueConfig cfg = startRing(fe, ram, features, 64, kick, call);

            DriverQueue driver = Virtqueues.driver(ram.memory, cfg, features);
            rounds(ram, driver, kick, call, 0, 50);
            assertEquals(50, device.handled.get());

            // Stopping the ring reports where the driver's next request will be.
            fe.send(VhostUserRequest.GET_VRING_BASE, FrontEnd.state(1, 0));
            ByteBuffer base = fe.reply(VhostUserRequest.GET_VRING_BASE);
            assertEquals(1, base.getInt(0));
            assertEquals(50, base.getInt(4));
            kick.close();
            call.close();
        }
    }

    @Test
    void aRingThatNeverRunsDryStillGetsItsUsedEntriesBack() throws Exception {
        int held = QueueWorker.PUBLISH_EVERY + 8;
        int requests = held + 30;
        CountDownLatch seen = new CountDownLatch(1);
        // The device stops at request `held` until the driver has seen a completion: with used
        // entries published only when the ring runs dry, none would ever come, since 30 wait behind.
        device.beforeHandle = n -> {
            if (n == held) {
                try {
                    seen.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (SharedMemory ram = new SharedMemory(dir, 1 << 20); FrontEnd fe = new FrontEnd(server.path())) {
            TestEventFd kick = new TestEventFd();
            TestEventFd call = new TestEventFd();
            long features = EchoDevice.VERSION_1;
            // Two descriptors per request: 256 hold them all at once.
            QueueConfig cfg = startRing(fe, ram, features, 256, kick, call);
            DriverQueue driver = Virtqueues.driver(ram.memory, cfg, features);
            long data = SharedMemory.GPA + 0x8000;
            for (int i = 0; i < requests; i++) {
                ram.memory.write(data + i * 0x100L, new byte[] {(byte) i}, 0, 1);
                assertTrue(driver.addOut(data + i * 0x100L, 1).addIn(data + i * 0x100L + 0x80, 16).submit(i) >= 0,
                        "room for request " + i);
            }
            kick.signal();
            Completion c = new Completion();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!driver.pollUsed(c)) {
                assertTrue(System.nanoTime() < deadline, "no used entry came back while the ring stayed busy");
                Thread.sleep(1);
            }
            assertTrue(device.handled.get() <= held, "the first completion came while requests still waited");
            seen.countDown();
            int got = 1;
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got < requests) {
                assertTrue(System.nanoTime() < deadline, got + " of " + requests + " completed");
                if (driver.pollUsed(c)) {
                    assertEquals(got, c.cookie(), "completions in order");
                    got++;
                } else {
                    call.await(100);
                }
            }
            kick.close();
            call.close();
        }
    }

    @Test
    void aConfigChangeIsAnnouncedOnTheBackendChannel() throws Exception {
        AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
        try (FrontEnd fe = new FrontEnd(server.path()); AFUNIXSocketChannel ours = pair.getSocket1();
                AFUNIXSocketChannel theirs = pair.getSocket2()) {
            long pf = fe.getU64(VhostUserRequest.GET_PROTOCOL_FEATURES);
            assertTrue((pf & ProtocolFeature.bit(ProtocolFeature.BACKEND_REQ)) != 0, "a device with config offers it");
            fe.send(VhostUserRequest.SET_PROTOCOL_FEATURES, FrontEnd.u64(pf));
            fe.send(VhostUserRequest.SET_BACKEND_REQ_FD.code(), Message.VERSION | Message.FLAG_NEED_REPLY,
                    new byte[0], theirs.getFileDescriptor());
            assertEquals(0, fe.reply(VhostUserRequest.SET_BACKEND_REQ_FD).getLong(0), "acknowledged");
            device.configNotifier.run();
            ByteBuffer msg = ByteBuffer.allocate(Message.HEADER_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ours.configureBlocking(false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (msg.hasRemaining()) {
                assertTrue(System.nanoTime() < deadline, "no config change message within 5 s");
                int n = ours.read(msg);
                assertTrue(n >= 0, "the channel closed before a whole header came");
                if (n == 0) {
                    Thread.sleep(5);
                }
            }
            assertEquals(BackendChannel.CONFIG_CHANGE_MSG, msg.getInt(0), "VHOST_USER_BACKEND_CONFIG_CHANGE_MSG");
            assertEquals(Message.VERSION, msg.getInt(4), "version 1, no reply asked for");
            assertEquals(0, msg.getInt(8), "no payload");
        }
        // With the front end gone, a change is announced nowhere and harms nothing.
        waitFor(() -> server.ended() == server.accepted());
        device.configNotifier.run();
    }

    /** Negotiates, shares the memory and starts queue 1 of {@code size} at base 0. */
    static QueueConfig startRing(FrontEnd fe, SharedMemory ram, long features, int size,
            TestEventFd kick, TestEventFd call) throws IOException {
        return startRing(fe, ram, features, size, SharedMemory.GPA, kick, call);
    }

    /** Like the above with the rings laid out from guest address {@code rings}. */
    static QueueConfig startRing(FrontEnd fe, SharedMemory ram, long features, int size, long rings,
            TestEventFd kick, TestEventFd call) throws IOException {
        fe.send(VhostUserRequest.SET_OWNER, new byte[0]);
        fe.send(VhostUserRequest.SET_FEATURES, FrontEnd.u64(features));
        fe.send(VhostUserRequest.SET_MEM_TABLE, ram.table(), ram.fd());
        QueueConfig cfg = QueueConfig.layout(features, size, rings, 0);
        fe.send(VhostUserRequest.SET_VRING_NUM, FrontEnd.state(1, size));
        fe.send(VhostUserRequest.SET_VRING_BASE, FrontEnd.state(1, 0));
        fe.send(VhostUserRequest.SET_VRING_ADDR, addr(ram, cfg));
        fe.send(VhostUserRequest.SET_VRING_CALL, FrontEnd.u64(1), call.fd);
        fe.send(VhostUserRequest.SET_VRING_KICK, FrontEnd.u64(1), kick.fd);
        return cfg;
    }

    static byte[] addr(SharedMemory ram, QueueConfig cfg) {
        return FrontEnd.addr(1, ram.uva(cfg.descriptorArea()), ram.uva(cfg.deviceArea()), ram.uva(cfg.driverArea()));
    }

    /** Requests {@code from..to-1} through the ring, each checked for its echo and its cookie. */
    static void rounds(SharedMemory ram, DriverQueue driver, TestEventFd kick, TestEventFd call, int from, int to)
            throws Exception {
        rounds(ram, driver, kick, call, from, to, SharedMemory.GPA + 0x8000);
    }

    /** Like the above with the request and response buffers at guest address {@code data}. */
    static void rounds(SharedMemory ram, DriverQueue driver, TestEventFd kick, TestEventFd call, int from, int to,
            long data) throws Exception {
        Completion c = new Completion();
        // A completion made just before the front end swapped call fds is signalled on the old
        // one (QEMU checks the old fd when it swaps): look at the ring again every 100 ms.
        for (int round = from; round < to; round++) {
            byte[] payload = ("request " + round).getBytes();
            ram.memory.write(data, payload, 0, payload.length);
            driver.addOut(data, payload.length).addIn(data + 0x1000, 64).submit(round);
            if (driver.kickNeeded()) {
                kick.signal();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!driver.pollUsed(c)) {
                assertTrue(System.nanoTime() < deadline, "no completion for round " + round);
                call.await(100);
            }
            assertEquals(round, c.cookie());
            assertEquals(payload.length, c.length());
            byte[] back = new byte[payload.length];
            ram.memory.read(data + 0x1000, back, 0, back.length);
            assertArrayEquals(payload, back);
        }
    }

    @Test
    void aRestartedRingCarriesOnWithoutReplaying() throws Exception {
        try (SharedMemory ram = new SharedMemory(dir, 1 << 20); FrontEnd fe = new FrontEnd(server.path())) {
            TestEventFd kick = new TestEventFd();
            TestEventFd call = new TestEventFd();
            long features = EchoDevice.VERSION_1;
            // A small ring, so the restarts below happen at indexes past a wrap of its slots.
            QueueConfig cfg = startRing(fe, ram, features, 8, kick, call);
            byte[] addr = addr(ram, cfg);
            DriverQueue driver = Virtqueues.driver(ram.memory, cfg, features);
            rounds(ram, driver, kick, call, 0, 13);

            // A new call fd while running restarts the worker: it must not replay the 13 requests.
            TestEventFd call2 = new TestEventFd();
            fe.send(VhostUserRequest.SET_VRING_CALL, FrontEnd.u64(1), call2.fd);
            rounds(ram, driver, kick, call2, 13, 21);
            // A new memory table (same memory) restarts it too.
            fe.send(VhostUserRequest.SET_MEM_TABLE, ram.table(), ram.fd());
            rounds(ram, driver, kick, call2, 21, 30);

            // Stop, then resume at the reported base, as a front end does around a reconnect.
            fe.send(VhostUserRequest.GET_VRING_BASE, FrontEnd.state(1, 0));
            int base = fe.reply(VhostUserRequest.GET_VRING_BASE).getInt(4);
            assertEquals(30, base);
            TestEventFd kick2 = new TestEventFd();
            fe.send(VhostUserRequest.SET_VRING_BASE, FrontEnd.state(1, base));
            fe.send(VhostUserRequest.SET_VRING_ADDR, addr);
            fe.send(VhostUserRequest.SET_VRING_KICK, FrontEnd.u64(1), kick2.fd);
            rounds(ram, driver, kick2, call2, 30, 45);
            assertEquals(45, device.handled.get(), "every request handled exactly once");
        }
    }

    @Test
    void statusKeepsOnlyTheBitsTheSpecDefines() throws IOException {
        try (FrontEnd fe = new FrontEnd(server.path())) {
            fe.send(VhostUserRequest.SET_STATUS, FrontEnd.u64(-1L));
            assertEquals(0xcf, fe.getU64(VhostUserRequest.GET_STATUS), "ACKNOWLEDGE..FAILED, nothing else");
            fe.send(VhostUserRequest.SET_STATUS, FrontEnd.u64(0x0f));
            assertEquals(0x0f, fe.getU64(VhostUserRequest.GET_STATUS));
        }
    }

    @Test
    void featuresOkStaysClearForFeaturesTheDeviceCannotWorkWith() throws IOException {
        device.offered = EchoDevice.VERSION_1 | 1;
        device.needed = 1;
        try (FrontEnd fe = new FrontEnd(server.path())) {
            fe.send(VhostUserRequest.SET_FEATURES, FrontEnd.u64(EchoDevice.VERSION_1));
            fe.send(VhostUserRequest.SET_STATUS, FrontEnd.u64(0x0b));
            assertEquals(0x03, fe.getU64(VhostUserRequest.GET_STATUS), "FEATURES_OK refused without bit 0");
            fe.send(VhostUserRequest.SET_FEATURES, FrontEnd.u64(EchoDevice.VERSION_1 | 1));
            fe.send(VhostUserRequest.SET_STATUS, FrontEnd.u64(0x0b));
            assertEquals(0x0b, fe.getU64(VhostUserRequest.GET_STATUS), "FEATURES_OK kept with bit 0");
        }
    }

    @Test
    void everyCloseHasAReason() throws Exception {
        try (FrontEnd fe = new FrontEnd(server.path())) {
            fe.getU64(VhostUserRequest.GET_FEATURES);
        }
        waitFor(() -> server.ended() == 1);
        assertEquals("the front end closed the connection", server.lastEndReason());
        FrontEnd fe = new FrontEnd(server.path());
        fe.getU64(VhostUserRequest.GET_FEATURES);
        server.close();
        assertEquals(2, server.ended(), "close() waits for the session to end");
        assertEquals("the server is shutting down", server.lastEndReason());
        assertTrue(fe.closedByPeer());
        fe.close();
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached within 10 s");
            Thread.sleep(5);
        }
    }
}
