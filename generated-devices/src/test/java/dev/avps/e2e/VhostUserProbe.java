package dev.avps.e2e;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The smallest vhost-user front end: asks a backend the questions that need no fds (its virtio
 * and protocol features, its queue count) and checks each reply's header. Enough to see that a
 * third-party peer is a real vhost-user backend before a test builds on it.
 */
final class VhostUserProbe implements AutoCloseable {

    static final int GET_FEATURES = 1;
    static final int GET_PROTOCOL_FEATURES = 15;
    static final int SET_PROTOCOL_FEATURES = 16;
    static final int GET_QUEUE_NUM = 17;
    private static final int VERSION = 1;
    private static final int REPLY = 0x4;

    private final SocketChannel ch;

    VhostUserProbe(Path socket) throws IOException {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
    }

    /** Sends a request without payload and returns the u64 the backend answers with. */
    long getU64(int request) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(request).putInt(VERSION)
                .putInt(0).flip();
        while (out.hasRemaining()) {
            ch.write(out);
        }
        ByteBuffer in = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            if (ch.read(in) < 0) {
                throw new IOException("the backend closed the connection instead of answering request " + request);
            }
        }
        in.flip();
        int code = in.getInt();
        int flags = in.getInt();
        int size = in.getInt();
        if (code != request || (flags & REPLY) == 0 || (flags & 3) != VERSION || size != 8) {
            throw new IOException(String.format("bad reply to request %d: code %d, flags 0x%x, size %d", request,
                    code, flags, size));
        }
        return in.getLong();
    }

    /** Sends a request with a u64 payload that expects no reply. */
    void setU64(int request, long value) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putInt(request).putInt(VERSION)
                .putInt(8).putLong(value).flip();
        while (out.hasRemaining()) {
            ch.write(out);
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
