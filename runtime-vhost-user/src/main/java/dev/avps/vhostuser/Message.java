package dev.avps.vhostuser;

import java.io.FileDescriptor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One received message: the 12-byte header's fields, its payload (little-endian, as the
 * protocol specifies for x86 and every host we run on) and the fds that came with it.
 * Accessors check the payload size first, so a short payload is a protocol error, not an
 * exception from the buffer.
 */
public final class Message {

    public static final int HEADER_SIZE = 12;
    /** Protocol version carried in the low two flag bits. */
    public static final int VERSION = 0x1;
    public static final int FLAG_REPLY = 0x4;
    public static final int FLAG_NEED_REPLY = 0x8;
    /** Larger than any payload we accept (a full memory table is 264 bytes, config 12 + 256). */
    public static final int MAX_PAYLOAD = 4096;
    private final int code;
    private final int flags;
    private final ByteBuffer payload;
    private final FileDescriptor[] fds;

    Message(int code, int flags, byte[] payload, FileDescriptor[] fds) {
        this.code = code;
        this.flags = flags;
        this.payload = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        this.fds = fds;
    }

    public int code() {
        return code;
    }

    public int flags() {
        return flags;
    }

    public boolean needsReply() {
        return (flags & FLAG_NEED_REPLY) != 0;
    }

    public int size() {
        return payload.capacity();
    }

    public FileDescriptor[] fds() {
        return fds;
    }

    public ByteBuffer payload() {
        return payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Requires the payload to be at least {@code n} bytes. */
    void requireSize(String what, int n) throws VhostUserException {
        if (payload.capacity() < n) {
            throw new VhostUserException(what + " needs a " + n + "-byte payload, got " + payload.capacity());
        }
    }

    long u64(String what) throws VhostUserException {
        requireSize(what, 8);
        return payload.getLong(0);
    }

    int u32(String what, int offset) throws VhostUserException {
        requireSize(what, offset + 4);
        return payload.getInt(offset);
    }

    long u64At(String what, int offset) throws VhostUserException {
        requireSize(what, offset + 8);
        return payload.getLong(offset);
    }

    /** Requires exactly {@code n} fds: missing ones are fatal, and extra ones mean a confused peer. */
    void requireFds(String what, int n) throws VhostUserException {
        if (fds.length != n) {
            throw new VhostUserException(what + " needs " + n + " fd(s), got " + fds.length);
        }
    }
}
