package dev.avps.vhostuser.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.Completion;
import dev.avps.runtime.VirtioFeatures;
import dev.avps.vhostuser.EchoDeviceAccess;
import dev.avps.vhostuser.ProtocolFeature;
import dev.avps.vhostuser.VhostUserServer;
import dev.avps.vhostuser.driver.FrontEndException.Reason;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The driver-side front end against our own server and its test echo device. */
class DriverAgainstServerTest {
    static final long TIMEOUT = 5_000;
    static final long VERSION_1 = 1L << 32;
    static final long PROTOCOL_FEATURES = 1L << ProtocolFeature.VIRTIO_F_PROTOCOL_FEATURES;
    static final long RAM_BASE = 0x10_0000;
    static final long RAM_SIZE = 1 << 20;
    /** A second region, not adjacent to the first, so requests cross the memory table's regions. */
    static final long RAM2_BASE = 0x400_0000;

    @TempDir
    Path dir;

    EchoDeviceAccess device;
    VhostUserServer server;
    GuestRam ram;

    @BeforeEach
    void start() throws Exception {
        device = new EchoDeviceAccess();
        server = VhostUserServer.start(dir.resolve("echo.sock"), device.device());
        ram = GuestRam.create(new GuestRam.Region(RAM_BASE, RAM_SIZE), new GuestRam.Region(RAM2_BASE, RAM_SIZE));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        ram.close();
    }

    /** GET/SET (protocol) features, SET_OWNER, memory; returns the negotiated feature bits. */
    static long negotiate(VhostUserFrontEnd fe, GuestRam ram, long wanted) throws FrontEndException {
        long offered = fe.getFeatures();
        assertTrue((offered & PROTOCOL_FEATURES) != 0, "the server offers protocol features");
        long pf = fe.getProtocolFeatures();
        long want = ProtocolFeature.bit(ProtocolFeature.REPLY_ACK) | ProtocolFeature.bit(ProtocolFeature.CONFIG)
                | ProtocolFeature.bit(ProtocolFeature.MQ) | ProtocolFeature.bit(ProtocolFeature.RESET_DEVICE)
                | ProtocolFeature.bit(ProtocolFeature.STATUS);
        fe.setProtocolFeatures(pf & want);
        fe.setOwner();
        long f = offered & (wanted | PROTOCOL_FEATURES);
        fe.setFeatures(f);
        fe.setMemTable(ram);
        return f;
    }

    /** Sends {@code count} requests through the ring, buffers in the second region, checking each echo. */
    static void roundTrips(GuestRam ram, DriverRing ring, int count) throws FrontEndException {
        for (int i = 0; i < count; i++) {
            byte[] payload = ("request " + i + " on queue " + ring.index()).getBytes();
            long out = RAM2_BASE + 0x100;
            long in = RAM2_BASE + 0x2000;
            ram.memory().write(out, payload, 0, payload.length);
            ring.queue().addOut(out, payload.length).addIn(in, 128);
            ring.submit(1000 + i);
            Completion c = ring.awaitUsed(TIMEOUT);
            assertEquals(1000 + i, c.cookie());
            assertEquals(payload.length, c.length());
            byte[] back = new byte[payload.length];
            ram.memory().read(in, back, 0, back.length);
            assertArrayEquals(payload, back);
        }
    }

    @Test
    void negotiatesFeaturesProtocolFeaturesAndQueueCount() throws Exception {
        try (VhostUserFrontEnd fe = VhostUserFrontEnd.connect(server.path(), TIMEOUT)) {
            long f = negotiate(fe, ram, VERSION_1);
            assertEquals(VERSION_1 | PROTOCOL_FEATURES, f);
            assertEquals(VERSION_1, device.negotiated(), "the device sees the bits without PROTOCOL_FEATURES");
            assertTrue(fe.hasProtocolFeature(ProtocolFeature.REPLY_ACK), "every request was acknowledged");
            assertEquals(2, fe.getQueueNum());
        }
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void requestsRoundTripOnSplitAndPackedRings(boolean packed) throws Exception {
        long ringFeature = VirtioFeatures.RING_PACKED;
        if (packed) {
            device.offer(VERSION_1 | ringFeature);
        }
        try (VhostUserFrontEnd fe = VhostUserFrontEnd.connect(server.path(), TIMEOUT)) {
            long f = negotiate(fe, ram, VERSION_1 | (packed ? ringFeature : 0));
            assertEquals(packed, (f & ringFeature) != 0);
            try (DriverRing ring = fe.startRing(ram, 1, 16, RAM_BASE)) {
                roundTrips(ram, ring, 37); // 74 descriptors: past four laps of a 16-entry packed ring
                int base = fe.getVringBase(1);
                // split: the next avail index; packed: slot | wrap << 15, for avail (low) and used (high)
                int slots = 2 * 37;
                int position = slots % 16 | (1 ^ (slots / 16) & 1) << 15;
                assertEquals(packed ? position | position << 16 : 37, base);
            }
            assertEquals(37, device.handled());
        }
    }

    @Test
    void readsAndWritesConfig() throws Exception {
        try (VhostUserFrontEnd fe = VhostUserFrontEnd.connect(server.path(), TIMEOUT)) {
            negotiate(fe, ram, VERSION_1);
            assertArrayEquals(new byte[] {12, 13, 14, 15}, fe.getConfig(2, 4));
            fe.setConfig(6, new byte[] {99, 98});
            assertArrayEquals(new byte[] {10, 11, 12, 13, 14, 15, 99, 98}, fe.getConfig(0, 8));
        }
    }

    @Test
    void aDeviceThatCannotWorkWithTheFeaturesLeavesFeaturesOkClear() throws Exception {
        device.offer(VERSION_1 | 1);
        device.require(1);
        try (VhostUserFrontEnd fe = VhostUserFrontEnd.connect(server.path(), TIMEOUT)) {
            negotiate(fe, ram, VERSION_1);
            fe.setStatus(0x0b);
            assertEquals(0x03, fe.getStatus(), "FEATURES_OK refused without bit 0");
            fe.setFeatures(VERSION_1 | 1 | PROTOCOL_FEATURES);
            fe.setStatus(0x0b);
            assertEquals(0x0b, fe.getStatus(), "FEATURES_OK kept once bit 0 is accepted");
        }
    }

    @Test
    void resetsAndReconnects() throws Exception {
        VhostUserFrontEnd fe = VhostUserFrontEnd.connect(server.path(), TIMEOUT);
        try {
            negotiate(fe, ram, VERSION_1);
            fe.setStatus(0x0f);
            assertEquals(0x0f, fe.getStatus());
            try (DriverRing ring = fe.startRing(ram, 0, 8, RAM_BASE)) {
                roundTrips(ram, ring, 3);
            }
            fe.reset();
            assertEquals(1, device.resets());
            assertEquals(0, fe.getStatus(), "a reset clears the status");
            // After the reset the device is negotiated and its rings set up again from scratch.
            fe.setFeatures(VERSION_1 | PROTOCOL_FEATURES);
            try (DriverRing ring = fe.startRing(ram, 0, 8, RAM_BASE)) {
                roundTrips(ram, ring, 3);
            }
            fe = fe.reconnect();
            negotiate(fe, ram, VERSION_1);
            try (DriverRing ring = fe.startRing(ram, 1, 8, RAM_BASE + 0x4000)) {
                roundTrips(ram, ring, 3);
            }
            assertEquals(9, device.handled());
            assertEquals(1, server.ended(), "the first connection ended when the front end reconnected");
        } finally {
            fe.close();
        }
    }

    @ParameterizedTest
    @EnumSource(HostileChain.class)
    void aHostileChainEndsInTheServersRefusal(HostileChain chain) throws Exception {
        try (VhostUserFrontEnd fe = VhostUserFrontEnd.connect(server.path(), TIMEOUT)) {
            negotiate(fe, ram, VERSION_1);
            try (DriverRing ring = fe.startRing(ram, 0, 8, RAM_BASE)) {
                roundTrips(ram, ring, 2);
                chain.inject(ring.raw(), RAM2_BASE + 0x100);
                ring.kick();
                FrontEndException e = assertThrows(FrontEndException.class, () -> ring.awaitUsed(TIMEOUT));
                assertEquals(Reason.DEVICE_ERROR, e.reason(), e.getMessage());
            }
            // The queue is dead, the backend is not: the other queue and the connection still work.
            try (DriverRing other = fe.startRing(ram, 1, 8, RAM_BASE + 0x4000)) {
                roundTrips(ram, other, 2);
            }
        }
        assertEquals(4, device.handled());
    }

    @Test
    void aHostilePackedDescriptorEndsInTheServersRefusal() throws Exception {
        device.offer(VERSION_1 | VirtioFeatures.RING_PACKED);
        try (VhostUserFrontEnd fe = VhostUserFrontEnd.connect(server.path(), TIMEOUT)) {
            negotiate(fe, ram, VERSION_1 | VirtioFeatures.RING_PACKED);
            try (DriverRing ring = fe.startRing(ram, 0, 8, RAM_BASE)) {
                // A fresh ring: slot 0 in the first lap, a readable buffer far outside guest RAM.
                ring.raw().packedDescriptor(0, 0x7fff_0000_0000L, 64, 0, 0, true);
                ring.kick();
                FrontEndException e = assertThrows(FrontEndException.class, () -> ring.awaitUsed(TIMEOUT));
                assertEquals(Reason.DEVICE_ERROR, e.reason(), e.getMessage());
            }
        }
        assertEquals(0, device.handled());
    }

    @Test
    void aDeviceThatReturnsAnIdNeverSubmittedIsCaught() throws Exception {
        try (VhostUserFrontEnd fe = VhostUserFrontEnd.connect(server.path(), TIMEOUT)) {
            negotiate(fe, ram, VERSION_1);
            try (DriverRing ring = fe.startRing(ram, 0, 8, RAM_BASE)) {
                // The ring is stopped first, so the backend never looks; the test plays a broken device.
                fe.getVringBase(0);
                int id = ring.queue().addOut(RAM2_BASE, 8).addIn(RAM2_BASE + 0x100, 16).submit(7);
                UsedRingForger.splitUsed(ram, ring.config(), 0, id + 3, 0, 1);
                FrontEndException e = assertThrows(FrontEndException.class, () -> ring.awaitUsed(TIMEOUT));
                assertEquals(Reason.RING_VIOLATION, e.reason(), e.getMessage());
                assertEquals(dev.avps.runtime.VirtqueueException.Reason.USED_ID_INVALID,
                        ((dev.avps.runtime.VirtqueueException) e.getCause()).reason());
            }
        }
    }

    @Test
    void aUsedLengthBeyondTheWritableBytesIsCaught() throws Exception {
        try (VhostUserFrontEnd fe = VhostUserFrontEnd.connect(server.path(), TIMEOUT)) {
            negotiate(fe, ram, VERSION_1);
            try (DriverRing ring = fe.startRing(ram, 0, 8, RAM_BASE)) {
                fe.getVringBase(0);
                int id = ring.queue().addOut(RAM2_BASE, 8).addIn(RAM2_BASE + 0x100, 16).submit(7);
                UsedRingForger.splitUsed(ram, ring.config(), 0, id, 17, 1);
                FrontEndException e = assertThrows(FrontEndException.class, () -> ring.awaitUsed(TIMEOUT));
                assertEquals(Reason.RING_VIOLATION, e.reason(), e.getMessage());
                assertEquals(dev.avps.runtime.VirtqueueException.Reason.USED_LENGTH_TOO_LARGE,
                        ((dev.avps.runtime.VirtqueueException) e.getCause()).reason());
            }
        }
    }

    @Test
    void aDeviceThatNeverCompletesTimesOut() throws Exception {
        try (VhostUserFrontEnd fe = VhostUserFrontEnd.connect(server.path(), TIMEOUT)) {
            negotiate(fe, ram, VERSION_1);
            try (DriverRing ring = fe.startRing(ram, 0, 8, RAM_BASE)) {
                fe.getVringBase(0); // the backend stops serving the ring: it plays a device that hangs
                ring.queue().addOut(RAM2_BASE, 8).addIn(RAM2_BASE + 0x100, 16);
                ring.submit(7);
                long t0 = System.nanoTime();
                FrontEndException e = assertThrows(FrontEndException.class, () -> ring.awaitUsed(300));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(Reason.NO_COMPLETION, e.reason(), e.getMessage());
                assertTrue(ms >= 300 && ms < TIMEOUT, "gave up after the timeout, not before and not much later: "
                        + ms + " ms");
            }
        }
    }

    @Test
    void withoutTheProtocolFeatureConfigIsNotOfferedLocally() throws Exception {
        try (VhostUserFrontEnd fe = VhostUserFrontEnd.connect(server.path(), TIMEOUT)) {
            fe.setOwner();
            FrontEndException e = assertThrows(FrontEndException.class, () -> fe.getConfig(0, 4));
            assertEquals(Reason.NOT_OFFERED, e.reason());
        }
    }

    @Test
    void connectionsRingsAndMemoryLeaveNoFdsOrMappingsBehind() throws Exception {
        // One round first, so lazily opened JDK and junixsocket fds are not counted as leaks.
        cycle();
        VhostUserServerWait.ended(server, 1);
        long fds = openFds();
        long maps = ramMappings();
        for (int i = 0; i < 20; i++) {
            cycle();
        }
        VhostUserServerWait.ended(server, 21);
        assertEquals(fds, openFds(), "open fds after 20 connections, each with memory and a ring");
        assertEquals(maps, ramMappings(), "guest RAM mappings after 20 connections");
    }

    private void cycle() throws Exception {
        try (GuestRam own = GuestRam.create(new GuestRam.Region(RAM_BASE, RAM_SIZE),
                new GuestRam.Region(RAM2_BASE, RAM_SIZE));
                VhostUserFrontEnd fe = VhostUserFrontEnd.connect(server.path(), TIMEOUT)) {
            negotiate(fe, own, VERSION_1);
            try (DriverRing ring = fe.startRing(own, 0, 8, RAM_BASE)) {
                roundTrips(own, ring, 1);
            }
        }
    }

    private static long openFds() throws java.io.IOException {
        try (var s = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private static long ramMappings() throws java.io.IOException {
        return java.nio.file.Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains("avps-guest-ram")).count();
    }
}
