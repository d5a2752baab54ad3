package dev.avps.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who owns the device when a second front end connects: by default the one already connected
 * (the newcomer is refused, with a log line); with takeover allowed the newcomer (the old
 * connection is ended, with a log line). A front end that reconnects after closing is served.
 */
class TakeoverTest {

    @TempDir
    Path dir;

    @Test
    void aSecondConnectionIsRefusedWhileTheFirstIsServed() throws Exception {
        EchoDevice device = new EchoDevice();
        try (VhostUserServer server = VhostUserServer.start(dir.resolve("t.sock"), device);
                FrontEnd first = new FrontEnd(server.path())) {
            first.send(VhostUserRequest.SET_FEATURES, FrontEnd.u64(EchoDevice.VERSION_1));
            assertEquals(2, first.getU64(VhostUserRequest.GET_QUEUE_NUM));
            try (FrontEnd intruder = new FrontEnd(server.path())) {
                assertTrue(intruder.closedByPeer(), "the newcomer is refused");
            }
            VhostUserServerTest.waitFor(() -> server.refused() == 1);
            assertTrue(server.lastEndReason().contains("refused: vhost-user t.sock #1 is serving the device"),
                    server.lastEndReason());
            assertEquals(2, first.getU64(VhostUserRequest.GET_QUEUE_NUM), "the first front end is still served");
            assertEquals(0, device.resets.get(), "the device was not reset under the first front end");
        }
    }

    @Test
    void withTakeoverAllowedTheNewcomerEndsTheOldConnection() throws Exception {
        EchoDevice device = new EchoDevice();
        try (VhostUserServer server = VhostUserServer.start(dir.resolve("t.sock"), device,
                ServerOptions.defaults().withTakeover(true)); FrontEnd first = new FrontEnd(server.path())) {
            first.send(VhostUserRequest.SET_FEATURES, FrontEnd.u64(EchoDevice.VERSION_1));
            first.getU64(VhostUserRequest.GET_FEATURES);
            try (FrontEnd second = new FrontEnd(server.path())) {
                assertEquals(2, second.getU64(VhostUserRequest.GET_QUEUE_NUM));
                assertTrue(first.closedByPeer(), "the older connection is closed");
                VhostUserServerTest.waitFor(() -> device.resets.get() == 1);
                assertEquals("taken over by connection #2", server.lastEndReason());
                assertEquals(0, server.refused());
            }
        }
    }

    @Test
    void aFrontEndThatReconnectsAfterClosingIsServed() throws Exception {
        try (VhostUserServer server = VhostUserServer.start(dir.resolve("r.sock"), new EchoDevice())) {
            for (int i = 0; i < 20; i++) {
                // closed and reopened at once, as QEMU does when it reconnects
                try (FrontEnd fe = new FrontEnd(server.path())) {
                    assertEquals(2, fe.getU64(VhostUserRequest.GET_QUEUE_NUM), "connection " + i);
                }
            }
        }
    }
}
