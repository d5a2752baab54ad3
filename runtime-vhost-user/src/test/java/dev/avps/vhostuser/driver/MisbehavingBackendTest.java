package dev.avps.vhostuser.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.vhostuser.driver.FrontEndException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** A tiny fake backend that answers GET_FEATURES wrongly in one way each: the front end's verdicts. */
class MisbehavingBackendTest {
    static final long TIMEOUT = 400;
    static final int GET_FEATURES = 1;

    @TempDir
    Path dir;

    /** How the fake answers the first request it reads. */
    interface Answer {
        void to(int code, OutputStream out, AFUNIXSocket socket) throws IOException;
    }

    /** Serves one connection with {@code answer}, then holds it open until the test ends. */
    private FakeBackend fake(Answer answer) throws IOException {
        return new FakeBackend(dir.resolve("fake.sock"), answer);
    }

    private static byte[] reply(int code, int flags, byte[] payload) {
        return ByteBuffer.allocate(12 + payload.length).order(ByteOrder.LITTLE_ENDIAN).putInt(code).putInt(flags)
                .putInt(payload.length).put(payload).array();
    }

    /** GET_FEATURES against the fake: the verdict, checked to come within the timeout (plus slack). */
    private FrontEndException verdict(Answer answer) throws Exception {
        try (FakeBackend b = fake(answer); VhostUserFrontEnd fe = VhostUserFrontEnd.connect(b.path, TIMEOUT)) {
            long t0 = System.nanoTime();
            FrontEndException e = assertThrows(FrontEndException.class, fe::getFeatures);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms < TIMEOUT + 2_000, "verdict after " + ms + " ms");
            FrontEndException again = assertThrows(FrontEndException.class, fe::getFeatures);
            assertEquals(Reason.CONNECTION_BROKEN, again.reason(), "a broken stream is never read again");
            return e;
        }
    }

    @Test
    void aBackendThatNeverAnswersTimesOut() throws Exception {
        long t0 = System.nanoTime();
        FrontEndException e = verdict((code, out, s) -> { });
        assertEquals(Reason.NO_REPLY, e.reason(), e.getMessage());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) >= TIMEOUT, "waited the whole timeout");
        assertTrue(e.getMessage().contains("0 of 12 header bytes"), e.getMessage());
    }

    @Test
    void aBackendThatSendsHalfAReplyTimesOut() throws Exception {
        FrontEndException e = verdict((code, out, s) -> out.write(reply(code, 0x5, new byte[8]), 0, 16));
        assertEquals(Reason.NO_REPLY, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("4 of 8 payload bytes"), e.getMessage());
    }

    @Test
    void aBackendThatClosesIsACrash() throws Exception {
        FrontEndException e = verdict((code, out, s) -> s.close());
        assertEquals(Reason.BACKEND_CLOSED, e.reason(), e.getMessage());
    }

    @Test
    void aReplyOfTheWrongSizeIsRefused() throws Exception {
        FrontEndException e = verdict((code, out, s) -> out.write(reply(code, 0x5, new byte[4])));
        assertEquals(Reason.WRONG_REPLY_SIZE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("carries 4 payload bytes, expected exactly 8"), e.getMessage());
    }

    @Test
    void aReplyToAnotherRequestIsRefused() throws Exception {
        FrontEndException e = verdict((code, out, s) -> out.write(reply(code + 1, 0x5, new byte[8])));
        assertEquals(Reason.WRONG_REPLY_CODE, e.reason(), e.getMessage());
    }

    @Test
    void aReplyWithoutTheReplyFlagIsRefused() throws Exception {
        FrontEndException e = verdict((code, out, s) -> out.write(reply(code, 0x1, new byte[8])));
        assertEquals(Reason.WRONG_REPLY_FLAGS, e.reason(), e.getMessage());
    }

    @Test
    void aNonZeroAckIsARefusal() throws Exception {
        // Answers GET_PROTOCOL_FEATURES with REPLY_ACK, then acks SET_PROTOCOL_FEATURES... and NACKs SET_OWNER.
        Answer script = (code, out, s) -> {
            InputStream in = s.getInputStream();
            out.write(reply(15, 0x5, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 3).array()));
            FakeBackend.readMessage(in); // SET_PROTOCOL_FEATURES, no ack asked for yet
            FakeBackend.readMessage(in); // SET_OWNER with NEED_REPLY
            out.write(reply(3, 0x5, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(22).array()));
        };
        try (FakeBackend b = fake(script); VhostUserFrontEnd fe = VhostUserFrontEnd.connect(b.path, TIMEOUT)) {
            fe.setProtocolFeatures(fe.getProtocolFeatures());
            FrontEndException e = assertThrows(FrontEndException.class, fe::setOwner);
            assertEquals(Reason.NACK, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("status 22"), e.getMessage());
        }
    }

    @Test
    void aGoneBackendIsBackendClosedNotAHang() throws Exception {
        FakeBackend b = fake((code, out, s) -> s.close());
        VhostUserFrontEnd fe = VhostUserFrontEnd.connect(b.path, TIMEOUT);
        b.close();
        FrontEndException e = assertThrows(FrontEndException.class, fe::getFeatures);
        assertEquals(Reason.BACKEND_CLOSED, e.reason(), e.getMessage());
        fe.close();
    }

    /** One-connection fake backend on its own thread. */
    static final class FakeBackend implements AutoCloseable {
        final Path path;
        private final AFUNIXServerSocket server;
        private final Thread thread;
        private volatile AFUNIXSocket peer;

        FakeBackend(Path path, Answer answer) throws IOException {
            this.path = path;
            this.server = AFUNIXServerSocket.newInstance();
            server.bind(AFUNIXSocketAddress.of(path));
            thread = new Thread(() -> {
                try {
                    peer = server.accept();
                    int code = readMessage(peer.getInputStream());
                    answer.to(code, peer.getOutputStream(), peer);
                } catch (IOException ignored) {
                    // the test closed us
                }
            }, "fake-backend");
            thread.setDaemon(true);
            thread.start();
        }

        /** Reads one message and returns its request code. */
        static int readMessage(InputStream in) throws IOException {
            byte[] h = in.readNBytes(12);
            if (h.length < 12) {
                throw new IOException("front end closed");
            }
            ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
            in.readNBytes(b.getInt(8));
            return b.getInt(0);
        }

        @Override
        public void close() throws Exception {
            AFUNIXSocket p = peer;
            if (p != null) {
                p.close();
            }
            server.close();
            thread.join(5_000);
        }
    }
}
