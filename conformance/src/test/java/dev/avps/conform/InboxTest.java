package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.vsock.VsockDevice;
import dev.avps.generated.vsock.VirtioVsockHdr;
import dev.avps.generated.vsock.VirtioVsockOp;
import dev.avps.generated.vsock.VirtioVsockType;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Device-to-driver buffers kept posted on a session (our vsock's rx queue answers the packets sent on tx). */
class InboxTest {
    @TempDir
    Path dir;

    private Session open(VhostUserServer server) throws Exception {
        return Session.open(new Target(server.path(), Backends.catalog("vsock")).withTimeouts(2_000, 10_000),
                Session.VERSION_1);
    }

    /** A REQUEST from guest CID 3 to a host port nobody listens on: our vsock answers RST. */
    private static byte[] request(int guestPort) {
        ByteBuffer h = ByteBuffer.allocate(VirtioVsockHdr.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        h.putLong(Backends.vsockHdr("src_cid"), 3).putLong(Backends.vsockHdr("dst_cid"), 2)
                .putInt(Backends.vsockHdr("src_port"), guestPort).putInt(Backends.vsockHdr("dst_port"), 7)
                .putShort(Backends.vsockHdr("type"), (short) VirtioVsockType.VIRTIO_VSOCK_TYPE_STREAM)
                .putShort(Backends.vsockHdr("op"), (short) VirtioVsockOp.VIRTIO_VSOCK_OP_REQUEST)
                .putInt(Backends.vsockHdr("buf_alloc"), 4096);
        return h.array();
    }

    @Test
    void oneBufferServesEveryAnswerAndAQuietQueueReturnsNullInTime() throws Exception {
        try (VhostUserServer server = VhostUserServer.start(dir.resolve("v.sock"),
                new VsockDevice(3, dir.resolve("uds").toString())); Session s = open(server)) {
            Inbox rx = s.inbox(0, 256).post(1);
            assertEquals(1, rx.posted());
            long t0 = System.nanoTime();
            assertNull(rx.next(200), "nothing to deliver yet");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 150 && ms < 2_000, "the wait is the one asked for: " + ms + " ms");
            for (int port = 100; port < 103; port++) {
                assertEquals(0, s.exchange(1).out(request(port)).run().used());
                byte[] got = rx.next(2_000);
                assertNotNull(got, "the answer to port " + port);
                ByteBuffer b = ByteBuffer.wrap(got).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(VirtioVsockHdr.SIZE, got.length, "a header, no payload");
                assertEquals(VirtioVsockOp.VIRTIO_VSOCK_OP_RST, b.getShort(Backends.vsockHdr("op")));
                assertEquals(port, b.getInt(Backends.vsockHdr("dst_port")));
                assertEquals(1, rx.posted(), "the used buffer is posted again");
            }
        }
    }

    @Test
    void longLivedBuffersAreNeverHandedOutAgainAsRequestBuffers() throws Exception {
        try (VhostUserServer server = VhostUserServer.start(dir.resolve("v.sock"),
                new VsockDevice(3, dir.resolve("uds").toString())); Session s = open(server)) {
            int len = 4096;
            long kept = s.reserve(len);
            // More request buffers than guest RAM holds, so the allocator wraps around at least once.
            for (int i = 0; i < 40; i++) {
                int n = 1 << 20;
                long at = s.alloc(n, Exchange.GUARD);
                assertTrue(at + n + Exchange.GUARD <= kept - Exchange.GUARD || at - Exchange.GUARD >= kept + len,
                        "request buffer " + i + " at 0x" + Long.toHexString(at) + " meets the kept one at 0x"
                                + Long.toHexString(kept));
                assertTrue(at >= Session.DATA_BASE && at + n <= Session.RAM_BASE + Session.RAM_SIZE);
            }
        }
    }
}
