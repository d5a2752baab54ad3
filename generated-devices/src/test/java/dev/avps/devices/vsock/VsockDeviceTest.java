package dev.avps.devices.vsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.LoopbackDriver;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.runtime.memory.GuestMemory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vsock bridge's packet handling over real chains: tx on one ring, rx on another. */
class VsockDeviceTest {

    static final long GUEST = 3;

    @TempDir
    Path dir;

    final LoopbackDriver tx = new LoopbackDriver();
    final LoopbackDriver rx = new LoopbackDriver();

    VsockDevice device() {
        return new VsockDevice(GUEST, dir.resolve("svc").toString());
    }

    /** The guest sends one packet: header (+ payload) on the tx queue. */
    void send(VsockDevice d, long srcCid, int srcPort, int dstPort, short op, byte[] payload) throws Exception {
        GuestMemory m = tx.memory();
        long at = tx.data();
        int len = payload == null ? 0 : payload.length;
        ByteBuffer h = ByteBuffer.allocate(VsockDevice.HDR_SIZE).order(ByteOrder.LITTLE_ENDIAN).putLong(srcCid)
                .putLong(VsockDevice.HOST_CID).putInt(srcPort).putInt(dstPort).putInt(len)
                .putShort((short) VsockDevice.TYPE_STREAM).putShort(op).putInt(0).putInt(65536).putInt(0);
        m.write(at, h.array(), 0, VsockDevice.HDR_SIZE);
        if (len > 0) {
            m.write(at + 64, payload, 0, len);
            tx.driver().addOut(at, VsockDevice.HDR_SIZE).addOut(at + 64, len).submit(1);
        } else {
            tx.driver().addOut(at, VsockDevice.HDR_SIZE).submit(1);
        }
        assertEquals(0, tx.serve(d, VsockDevice.Q_TX));
    }

    /**
     * Offers an rx buffer of {@code size} bytes (the parked one again, if the device holds one);
     * returns its header and payload, or null if the device parked it.
     */
    ByteBuffer receive(VsockDevice d, int size) throws Exception {
        long at = rx.data();
        if (!rx.holding()) {
            rx.driver().addIn(at, size).submit(1);
        }
        int used = rx.offer(d, VsockDevice.Q_RX);
        if (used == VirtioDevice.DEFER) {
            return null;
        }
        byte[] b = new byte[used];
        rx.memory().read(at, b, 0, used);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void theConfigCarriesTheGuestCid() {
        byte[] cfg = new byte[8];
        device().readConfig(0, cfg);
        assertEquals(GUEST, ByteBuffer.wrap(cfg).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }

    @Test
    void packetsForNoConnectionOrNoServiceAreReset() throws Exception {
        VsockDevice d = device();
        assertEquals(null, receive(d, 4096), "nothing to deliver: the rx buffer is parked");
        send(d, GUEST, 5000, 1234, VsockDevice.OP_RW, "hi".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer rst = receive(d, 4096);
        assertEquals(VsockDevice.OP_RST, rst.getShort(30), "data for an unknown connection");
        assertEquals(1234, rst.getInt(16), "from the port the guest addressed");
        assertEquals(5000, rst.getInt(20), "to the guest's port");
        assertEquals(GUEST, rst.getLong(8));

        send(d, GUEST, 5001, 4321, VsockDevice.OP_REQUEST, null);
        assertEquals(VsockDevice.OP_RST, receive(d, 4096).getShort(30), "no host service listens on port 4321");

        send(d, 99, 5002, 1234, VsockDevice.OP_REQUEST, null);
        assertEquals(VsockDevice.OP_RST, receive(d, 4096).getShort(30), "a spoofed source CID");
    }

    @Test
    void aShortHeaderIsIgnored() throws Exception {
        VsockDevice d = device();
        tx.memory().write(tx.data(), new byte[10], 0, 10);
        tx.driver().addOut(tx.data(), 10).submit(1);
        assertEquals(0, tx.serve(d, VsockDevice.Q_TX));
        assertEquals(null, receive(d, 4096), "no answer to a packet that is not one");
    }

    @Test
    void aConnectionIsBridgedToTheHostServiceBothWays() throws Exception {
        Path svc = dir.resolve("svc_1234");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(svc));
            VsockDevice d = device();
            send(d, GUEST, 6000, 1234, VsockDevice.OP_REQUEST, null);
            try (SocketChannel peer = server.accept()) {
                assertEquals(VsockDevice.OP_RESPONSE, receive(d, 4096).getShort(30));
                send(d, GUEST, 6000, 1234, VsockDevice.OP_RW, "ping".getBytes(StandardCharsets.US_ASCII));
                InputStream in = Channels.newInputStream(peer);
                assertEquals("ping", new String(in.readNBytes(4), StandardCharsets.US_ASCII));

                OutputStream out = Channels.newOutputStream(peer);
                out.write("0123456789".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // Rx buffers of header + 4 bytes: the reply is split across three packets.
                StringBuilder got = new StringBuilder();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (got.length() < 10 && System.nanoTime() < deadline) {
                    ByteBuffer p = receive(d, VsockDevice.HDR_SIZE + 4);
                    if (p == null) {
                        Thread.sleep(10); // the bridge thread has not read the socket yet
                        continue;
                    }
                    assertEquals(VsockDevice.OP_RW, p.getShort(30));
                    assertTrue(p.getInt(24) <= 4);
                    got.append(new String(p.array(), VsockDevice.HDR_SIZE, p.getInt(24), StandardCharsets.US_ASCII));
                }
                assertEquals("0123456789", got.toString());
            }
        }
    }

    @Test
    void streamIsOfferedAndNotImplied() {
        long f = device().features();
        assertEquals(dev.avps.generated.vsock.VsockFeatures.STREAM, f & dev.avps.generated.vsock.VsockFeatures.STREAM);
        assertEquals(dev.avps.generated.vsock.VsockFeatures.NO_IMPLIED_STREAM,
                f & dev.avps.generated.vsock.VsockFeatures.NO_IMPLIED_STREAM);
        assertEquals(0, f & dev.avps.generated.vsock.VsockFeatures.SEQPACKET, "no seqpacket sockets here");
    }

    @Test
    void streamIsServedWithNoSocketFeatureButNotWithNoImpliedStreamAlone() throws Exception {
        Path svc = dir.resolve("svc_1234");
        long version1 = 1L << 32;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(svc));
            VsockDevice none = device();
            none.featuresNegotiated(version1);
            send(none, GUEST, 7000, 1234, VsockDevice.OP_REQUEST, null);
            try (SocketChannel peer = server.accept()) {
                assertEquals(VsockDevice.OP_RESPONSE, receive(none, 4096).getShort(30), "as if STREAM were accepted");
            }
            VsockDevice noImplied = device();
            noImplied.featuresNegotiated(version1 | dev.avps.generated.vsock.VsockFeatures.NO_IMPLIED_STREAM);
            send(noImplied, GUEST, 7001, 1234, VsockDevice.OP_REQUEST, null);
            assertEquals(VsockDevice.OP_RST, receive(noImplied, 4096).getShort(30), "stream was not negotiated");
        }
    }
}
