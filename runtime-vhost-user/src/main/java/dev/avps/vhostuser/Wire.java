package dev.avps.vhostuser;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * Message framing on one connection: a 12-byte header (request, flags, payload size) followed by
 * the payload, with fds as SCM_RIGHTS ancillary data. Every fd that arrives is handed to the
 * caller inside a {@link Message} or closed here; none is left behind on an error.
 *
 * <p>Only the session's own thread reads, replies and closes; other threads may only
 * {@link #shutdown()} the socket, which wakes that thread without touching any fd.
 */
final class Wire implements Closeable {

    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final List<FileDescriptor> pending = new ArrayList<>();
    /** Fds of the current message closed on arrival because no request takes that many. */
    private int dropped;

    Wire(AFUNIXSocket socket) throws IOException {
        this.socket = socket;
        // Room for every fd a message may carry, so none is lost to a truncated receive.
        socket.setAncillaryReceiveBufferSize(AncillaryBuffer.BYTES);
        AncillaryBuffer.enlarge(socket);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** The next message, or {@code null} when the peer closed the connection between messages. */
    Message read() throws IOException, VhostUserException {
        byte[] header = new byte[Message.HEADER_SIZE];
        int got = fill(header);
        if (got == 0) {
            closePending();
            return null;
        }
        if (got < header.length) {
            closePending();
            throw new VhostUserException("peer closed the connection after " + got + " of " + header.length
                    + " header bytes");
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int code = h.getInt(0);
        int flags = h.getInt(4);
        long size = Integer.toUnsignedLong(h.getInt(8));
        if ((flags & 0x3) != Message.VERSION) {
            closePending();
            throw new VhostUserException("request " + code + " carries protocol version " + (flags & 0x3)
                    + ", expected " + Message.VERSION);
        }
        if (size > Message.MAX_PAYLOAD) {
            closePending();
            throw new VhostUserException("request " + code + " announces a " + size + "-byte payload, more than the "
                    + Message.MAX_PAYLOAD + " any request needs");
        }
        byte[] payload = new byte[(int) size];
        int body = fill(payload);
        if (body < payload.length) {
            closePending();
            throw new VhostUserException("peer closed the connection after " + body + " of " + size
                    + " payload bytes of request " + code);
        }
        int fdCount = pending.size() + dropped;
        if (fdCount > VhostUserRequest.MOST_FDS) {
            closePending();
            VhostUserRequest r = VhostUserRequest.of(code);
            throw new VhostUserException((r != null ? r.toString() : "request " + code) + " came with " + fdCount
                    + " fds; no request takes more than " + VhostUserRequest.MOST_FDS);
        }
        FileDescriptor[] fds = pending.toArray(new FileDescriptor[0]);
        pending.clear();
        dropped = 0;
        return new Message(code, flags, payload, fds);
    }

    /** Reads until the buffer is full or the stream ends; collects fds that arrive on the way. */
    private int fill(byte[] buf) throws IOException {
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            collectFds();
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    /**
     * Takes the fds that came with the last read. Beyond the most any request takes they are
     * closed at once and only counted, so a flood of them never piles up in this process.
     */
    private void collectFds() throws IOException {
        FileDescriptor[] fds = socket.getReceivedFileDescriptors();
        if (fds != null) {
            for (FileDescriptor fd : fds) {
                if (pending.size() < VhostUserRequest.MOST_FDS) {
                    pending.add(fd);
                } else {
                    Fds.closeQuietly(fd);
                    dropped++;
                }
            }
        }
    }

    private void closePending() {
        pending.forEach(Fds::closeQuietly);
        pending.clear();
        dropped = 0;
    }

    /**
     * Wakes the session thread from any other thread: its read sees end of stream and it ends
     * the session itself. Closes nothing, so it cannot race the session thread's own closing.
     */
    void shutdown() {
        // Through the channel: from JDK 24 on, java.net.Socket's own shutdownInput/Output consult
        // connection state that a junixsocket socket never sets, throw "Socket is not connected"
        // and leave the session thread asleep in its read.
        try {
            socket.getChannel().shutdownInput();
        } catch (IOException ignored) {
            // already shut down or closed: the session thread is ending anyway
        }
        try {
            socket.getChannel().shutdownOutput();
        } catch (IOException ignored) {
            // as above
        }
    }

    /** Sends a reply to {@code code} with the given payload. */
    void reply(int code, byte[] payload) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Message.HEADER_SIZE + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(code).putInt(Message.VERSION | Message.FLAG_REPLY).putInt(payload.length).put(payload);
        out.write(b.array());
        out.flush();
    }

    void replyU64(int code, long value) throws IOException {
        reply(code, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    @Override
    public void close() throws IOException {
        closePending();
        socket.close();
    }
}
