package dev.avps.vhostuser.driver;

import dev.avps.vhostuser.Message;
import dev.avps.vhostuser.driver.FrontEndException.Reason;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The front end's half of the message framing: sends requests (with fds as SCM_RIGHTS) and reads
 * one reply against a deadline, checking its code, flags and size before the caller sees it. Any
 * framing failure marks the wire broken, since the stream can no longer be trusted to be in step.
 */
final class FrontEndWire implements AutoCloseable {
    /** Larger than any reply a backend legitimately sends (GET_CONFIG: 12 + 256). */
    private static final int MAX_REPLY = Message.MAX_PAYLOAD;

    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private FrontEndException broken;

    private FrontEndWire(AFUNIXSocket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static FrontEndWire connect(Path path) throws FrontEndException {
        try {
            return new FrontEndWire(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path)));
        } catch (IOException e) {
            throw new FrontEndException(Reason.IO, "cannot connect to " + path + ": " + e.getMessage(), e);
        }
    }

    /** Sends one message as is: any code, flags and payload (a hostile front end needs all three free). */
    void send(int code, int flags, byte[] payload, FileDescriptor... fds) throws FrontEndException {
        checkUsable();
        ByteBuffer b = ByteBuffer.allocate(Message.HEADER_SIZE + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(code).putInt(flags).putInt(payload.length).put(payload);
        try {
            if (fds.length > 0) {
                socket.setOutboundFileDescriptors(fds);
            }
            out.write(b.array());
            out.flush();
        } catch (IOException e) {
            // EPIPE / ECONNRESET: the backend is gone.
            throw fail(new FrontEndException(Reason.BACKEND_CLOSED, "sending request " + code + " failed: "
                    + e.getMessage(), e));
        }
    }

    /**
     * Reads the reply to {@code code}: REPLY flag and version 1 set, the same code, and exactly
     * {@code size} payload bytes ({@code -1}: any size up to {@link #MAX_REPLY}, the caller checks).
     */
    ByteBuffer reply(String what, int code, int size, long timeoutMillis) throws FrontEndException {
        checkUsable();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        byte[] header = new byte[Message.HEADER_SIZE];
        read(header, what, "header", deadline, timeoutMillis);
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int gotCode = h.getInt(0);
        int flags = h.getInt(4);
        long gotSize = Integer.toUnsignedLong(h.getInt(8));
        if (gotCode != code) {
            throw fail(new FrontEndException(Reason.WRONG_REPLY_CODE, "the reply to " + what + " names request "
                    + gotCode + ", expected " + code));
        }
        if ((flags & 0x3) != Message.VERSION || (flags & Message.FLAG_REPLY) == 0) {
            throw fail(new FrontEndException(Reason.WRONG_REPLY_FLAGS, String.format(
                    "the reply to %s has flags 0x%x: it needs version %d and the REPLY bit 0x%x", what, flags,
                    Message.VERSION, Message.FLAG_REPLY)));
        }
        if (size >= 0 ? gotSize != size : gotSize > MAX_REPLY) {
            throw fail(new FrontEndException(Reason.WRONG_REPLY_SIZE, "the reply to " + what + " carries " + gotSize
                    + " payload bytes, " + (size >= 0 ? "expected exactly " + size : "more than " + MAX_REPLY)));
        }
        byte[] payload = new byte[(int) gotSize];
        read(payload, what, "payload", deadline, timeoutMillis);
        return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void read(byte[] buf, String what, String part, long deadline, long timeoutMillis)
            throws FrontEndException {
        int n = 0;
        try {
            while (n < buf.length) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new SocketTimeoutException();
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    throw fail(new FrontEndException(Reason.BACKEND_CLOSED, "the backend closed the connection "
                            + "after " + n + " of " + buf.length + " reply " + part + " bytes of " + what));
                }
                n += r;
            }
        } catch (SocketTimeoutException e) {
            throw fail(new FrontEndException(Reason.NO_REPLY, "no reply to " + what + " within " + timeoutMillis
                    + " ms (" + n + " of " + buf.length + " " + part + " bytes arrived)"));
        } catch (IOException e) {
            throw fail(new FrontEndException(Reason.BACKEND_CLOSED, "reading the reply to " + what + " failed: "
                    + e.getMessage(), e));
        }
    }

    /** True when the backend has closed its end: a read sees end of stream within {@code millis}. */
    boolean closedByPeer(long millis) {
        try {
            socket.setSoTimeout((int) Math.max(1, millis));
            byte[] buf = new byte[256];
            long deadline = System.nanoTime() + millis * 1_000_000L;
            while (System.nanoTime() - deadline < 0) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void checkUsable() throws FrontEndException {
        if (broken != null) {
            throw new FrontEndException(Reason.CONNECTION_BROKEN, "the connection is unusable after: "
                    + broken.getMessage(), broken);
        }
    }

    private FrontEndException fail(FrontEndException e) {
        if (broken == null) {
            broken = e;
        }
        return e;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
