package dev.avps.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages that carry more fds than their request takes, up to the kernel's 253 per message:
 * each ends its connection with the real count in the reason, and none of the fds stays open in
 * the server (the process's open fds are counted before and after).
 */
class FdFloodTest {

    @TempDir
    Path dir;

    VhostUserServer server;
    TestEventFd spare;

    @BeforeEach
    void start() throws IOException {
        server = VhostUserServer.start(dir.resolve("flood.sock"), new EchoDevice());
        spare = new TestEventFd();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        spare.close();
    }

    FileDescriptor[] copies(int n) {
        FileDescriptor[] fds = new FileDescriptor[n];
        Arrays.fill(fds, spare.fd);
        return fds;
    }

    /** Sends one request with {@code n} fds and returns the reason the server closed the connection. */
    String flood(VhostUserRequest r, byte[] payload, int n) throws Exception {
        VhostUserServerTest.waitFor(() -> server.ended() == server.accepted());
        int endedBefore = server.ended();
        try (FrontEnd fe = new FrontEnd(server.path())) {
            fe.send(r, payload, copies(n));
            assertTrue(fe.closedByPeer(), r + " with " + n + " fds closes the connection");
        }
        VhostUserServerTest.waitFor(() -> server.ended() > endedBefore);
        return server.lastEndReason();
    }

    @Test
    void theReasonCountsTheFdsThatReallyCame() throws Exception {
        String reason = flood(VhostUserRequest.SET_VRING_KICK, FrontEnd.u64(0), 9);
        assertTrue(reason.contains("9 fds"), reason);
        reason = flood(VhostUserRequest.GET_FEATURES, new byte[0], 61);
        assertTrue(reason.contains("61 fds"), reason);
    }

    @Test
    void hundredsOfMessagesWithTooManyFdsLeakNothing() throws Exception {
        int[] counts = {2, 9, 61, 64, 200, 253};
        for (int n : counts) {
            flood(VhostUserRequest.GET_FEATURES, new byte[0], n); // warm-up
        }
        long before = HostileFrontEndTest.openFds();
        for (int i = 0; i < 400; i++) {
            int n = counts[i % counts.length];
            switch (i % 3) {
                case 0 -> flood(VhostUserRequest.GET_FEATURES, new byte[0], n);
                case 1 -> flood(VhostUserRequest.SET_VRING_CALL, FrontEnd.u64(1), n);
                default -> flood(VhostUserRequest.SET_MEM_TABLE,
                        FrontEnd.memTable(new long[] {0, 0x1000, 0x7000_0000L, 0}), n);
            }
        }
        assertEquals(before, HostileFrontEndTest.settle(before), "open fds before and after 400 floods");
        try (FrontEnd fe = new FrontEnd(server.path())) {
            assertEquals(2, fe.getU64(VhostUserRequest.GET_QUEUE_NUM), "still served");
        }
    }
}
