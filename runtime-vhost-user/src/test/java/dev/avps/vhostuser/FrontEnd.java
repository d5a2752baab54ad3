package dev.avps.vhostuser;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** A minimal vhost-user front end for tests: sends requests (with fds) and reads replies. */
final class FrontEnd implements AutoCloseable {

    final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;

    FrontEnd(Path path) throws IOException {
        socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path));
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(int code, int flags, byte[] payload, FileDescriptor... fds) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(code).putInt(flags).putInt(payload.length).put(payload);
        sendRaw(b.array(), fds);
    }

    void send(VhostUserRequest r, byte[] payload, FileDescriptor... fds) throws IOException {
        send(r.code(), Message.VERSION, payload, fds);
    }

    void sendRaw(byte[] bytes, FileDescriptor... fds) throws IOException {
        if (fds.length > 0) {
            socket.setOutboundFileDescriptors(fds);
        }
        out.write(bytes);
        out.flush();
    }

    /** Reads one reply and returns its payload. */
    ByteBuffer reply(VhostUserRequest expected) throws IOException {
        byte[] h = in.readNBytes(12);
        if (h.length < 12) {
            throw new IOException("connection closed while waiting for the reply to " + expected);
        }
        ByteBuffer hb = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        if (hb.getInt(0) != expected.code() || (hb.getInt(4) & Message.FLAG_REPLY) == 0) {
            throw new IOException("unexpected reply header: request " + hb.getInt(0) + " flags " + hb.getInt(4));
        }
        byte[] p = in.readNBytes(hb.getInt(8));
        return ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
    }

    long getU64(VhostUserRequest r) throws IOException {
        send(r, new byte[0]);
        return reply(r).getLong(0);
    }

    /** True when the server closed the connection (reads end of stream) within the timeout. */
    boolean closedByPeer() {
        try {
            byte[] buf = new byte[64];
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    return true;
                }
            }
        } catch (IOException e) {
            return e.getMessage() != null && !e.getMessage().contains("timed out");
        }
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static byte[] state(int index, int num) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(index).putInt(num).array();
    }

    static byte[] addr(int index, long desc, long used, long avail) {
        return ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putInt(index).putInt(0).putLong(desc)
                .putLong(used).putLong(avail).putLong(0).array();
    }

    /** A SET_MEM_TABLE payload: regions as {guest, size, user, offset} quadruples. */
    static byte[] memTable(long[]... regions) {
        ByteBuffer b = ByteBuffer.allocate(8 + 32 * regions.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(regions.length).putInt(0);
        for (long[] r : regions) {
            b.putLong(r[0]).putLong(r[1]).putLong(r[2]).putLong(r[3]);
        }
        return b.array();
    }

    /**
     * Ends our half of the stream (the server reads EOF) through the socket's channel: from JDK 24
     * on, {@code Socket.shutdownOutput()} consults java.net.Socket's own connection state, which a
     * junixsocket socket never sets, and throws "Socket is not connected".
     */
    void halfClose() throws IOException {
        socket.getChannel().shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
