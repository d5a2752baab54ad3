package dev.avps.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sessions that hold kick and call fds end while the next connection arrives, a hundred times
 * in a row, five times over: the server must still answer afterwards. The accept thread once
 * closed the old socket itself and deadlocked with the session thread closing its eventfds.
 */
class ReconnectRaceTest {

    @TempDir
    Path dir;

    /** With takeover the accept thread ends the old session itself; without, it waits for it. */
    @ParameterizedTest(name = "takeover {0}")
    @ValueSource(booleans = {true, false})
    void quickReconnectsWithHeldFdsNeverDeadlockTheServer(boolean takeover) {
        assertTimeoutPreemptively(Duration.ofSeconds(150), () -> {
            for (int trial = 0; trial < 5; trial++) {
                try (VhostUserServer server = VhostUserServer.start(dir.resolve("race" + trial + ".sock"),
                        new EchoDevice(), ServerOptions.defaults().withTakeover(takeover))) {
                    race(server);
                    try (FrontEnd fe = new FrontEnd(server.path())) {
                        assertEquals(2, fe.getU64(VhostUserRequest.GET_QUEUE_NUM), "trial " + trial + " still served");
                    }
                }
            }
        });
    }

    /** A hundred sessions, each closed just as the next one connects. */
    static void race(VhostUserServer server) throws IOException {
        List<TestEventFd> fds = new ArrayList<>();
        FrontEnd previous = null;
        try {
            for (int i = 0; i < 100; i++) {
                FrontEnd fe = new FrontEnd(server.path());
                if (previous != null) {
                    previous.close();
                }
                try {
                    fe.send(VhostUserRequest.SET_FEATURES, FrontEnd.u64(EchoDevice.VERSION_1));
                    for (int q = 0; q < 2; q++) {
                        TestEventFd kick = new TestEventFd();
                        TestEventFd call = new TestEventFd();
                        fds.add(kick);
                        fds.add(call);
                        fe.send(VhostUserRequest.SET_VRING_CALL, FrontEnd.u64(q), call.fd);
                        fe.send(VhostUserRequest.SET_VRING_KICK, FrontEnd.u64(q), kick.fd);
                    }
                } catch (IOException e) {
                    // the server may have refused or closed this one; the next one tries again
                }
                previous = fe;
            }
        } finally {
            if (previous != null) {
                previous.close();
            }
            fds.forEach(TestEventFd::close);
        }
    }
}
