package dev.avps.vhostuser.driver;

import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.QueueConfig;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.Virtqueues;
import dev.avps.vhostuser.Message;
import dev.avps.vhostuser.ProtocolFeature;
import dev.avps.vhostuser.VhostUserRequest;
import dev.avps.vhostuser.driver.FrontEndException.Reason;
import java.io.FileDescriptor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A vhost-user front end in the driver role, with no guest and no VMM: it talks to any backend's
 * unix socket, negotiates, shares {@link GuestRam} and eventfds, and drives rings through the
 * runtime's driver queues. Every reply is awaited for at most {@link #timeoutMillis} and checked
 * (code, flags, size), so a backend that misbehaves yields a {@link FrontEndException} with a
 * reason, never a hang. Used from one thread.
 */
public final class VhostUserFrontEnd implements AutoCloseable {
    private static final long NEED_REPLY = Message.FLAG_NEED_REPLY;
    private static final int GET_CONFIG_HEADER = 12;

    private final Path path;
    private final long timeoutMillis;
    private final FrontEndWire wire;
    private long protocolFeatures;
    private long features;

    private VhostUserFrontEnd(Path path, long timeoutMillis, FrontEndWire wire) {
        this.path = path;
        this.timeoutMillis = timeoutMillis;
        this.wire = wire;
    }

    /** Connects to the backend listening on {@code socket}; each later reply waits at most {@code timeoutMillis}. */
    public static VhostUserFrontEnd connect(Path socket, long timeoutMillis) throws FrontEndException {
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("timeout " + timeoutMillis + " ms");
        }
        return new VhostUserFrontEnd(socket, timeoutMillis, FrontEndWire.connect(socket));
    }

    /** Closes this connection and opens a fresh one to the same socket (nothing negotiated carries over). */
    public VhostUserFrontEnd reconnect() throws FrontEndException {
        close();
        return connect(path, timeoutMillis);
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    // ---- negotiation ----

    public long getFeatures() throws FrontEndException {
        return getU64(VhostUserRequest.GET_FEATURES);
    }

    /** SET_FEATURES; the bits are remembered for the rings set up afterwards. */
    public void setFeatures(long bits) throws FrontEndException {
        request(VhostUserRequest.SET_FEATURES, u64(bits));
        features = bits;
    }

    public long features() {
        return features;
    }

    public long getProtocolFeatures() throws FrontEndException {
        return getU64(VhostUserRequest.GET_PROTOCOL_FEATURES);
    }

    /** SET_PROTOCOL_FEATURES; from here on REPLY_ACK, if among them, makes every request acknowledged. */
    public void setProtocolFeatures(long bits) throws FrontEndException {
        request(VhostUserRequest.SET_PROTOCOL_FEATURES, u64(bits));
        protocolFeatures = bits;
    }

    public long protocolFeatures() {
        return protocolFeatures;
    }

    public boolean hasProtocolFeature(int bit) {
        return (protocolFeatures & ProtocolFeature.bit(bit)) != 0;
    }

    public void setOwner() throws FrontEndException {
        request(VhostUserRequest.SET_OWNER, new byte[0]);
    }

    public int getQueueNum() throws FrontEndException {
        requireProtocol(ProtocolFeature.MQ, "GET_QUEUE_NUM");
        long n = getU64(VhostUserRequest.GET_QUEUE_NUM);
        if (n < 1 || n > 0xff + 1) {
            throw new FrontEndException(Reason.WRONG_REPLY_CONTENT, "GET_QUEUE_NUM reports " + n
                    + " queues; vhost-user addresses 1 to 256");
        }
        return (int) n;
    }

    /** Shares the memory: one fd per region. */
    public void setMemTable(GuestRam ram) throws FrontEndException {
        request(VhostUserRequest.SET_MEM_TABLE, ram.memTable(), ram.descriptors());
    }

    // ---- config, status, reset ----

    /** GET_CONFIG of {@code size} bytes at {@code offset}; the reply must echo the window. */
    public byte[] getConfig(int offset, int size) throws FrontEndException {
        requireProtocol(ProtocolFeature.CONFIG, "GET_CONFIG");
        ByteBuffer p = ByteBuffer.allocate(GET_CONFIG_HEADER + size).order(ByteOrder.LITTLE_ENDIAN);
        p.putInt(offset).putInt(size).putInt(0);
        VhostUserRequest r = VhostUserRequest.GET_CONFIG;
        wire.send(r.code(), Message.VERSION, p.array());
        ByteBuffer reply = wire.reply("GET_CONFIG", r.code(), GET_CONFIG_HEADER + size, timeoutMillis);
        if (reply.getInt(0) != offset || reply.getInt(4) != size) {
            throw new FrontEndException(Reason.WRONG_REPLY_CONTENT, "GET_CONFIG of " + size + " bytes at " + offset
                    + " answered for " + reply.getInt(4) + " bytes at " + reply.getInt(0));
        }
        byte[] data = new byte[size];
        reply.position(GET_CONFIG_HEADER).get(data);
        return data;
    }

    public void setConfig(int offset, byte[] data) throws FrontEndException {
        requireProtocol(ProtocolFeature.CONFIG, "SET_CONFIG");
        ByteBuffer p = ByteBuffer.allocate(GET_CONFIG_HEADER + data.length).order(ByteOrder.LITTLE_ENDIAN);
        p.putInt(offset).putInt(data.length).putInt(0).put(data);
        request(VhostUserRequest.SET_CONFIG, p.array());
    }

    public void setStatus(long status) throws FrontEndException {
        requireProtocol(ProtocolFeature.STATUS, "SET_STATUS");
        request(VhostUserRequest.SET_STATUS, u64(status));
    }

    public long getStatus() throws FrontEndException {
        requireProtocol(ProtocolFeature.STATUS, "GET_STATUS");
        return getU64(VhostUserRequest.GET_STATUS);
    }

    /**
     * Resets the device: RESET_DEVICE when negotiated, otherwise status 0 through SET_STATUS (the
     * spec's way). Negotiated features are forgotten; rings must be set up again.
     */
    public void reset() throws FrontEndException {
        if (hasProtocolFeature(ProtocolFeature.RESET_DEVICE)) {
            request(VhostUserRequest.RESET_DEVICE, new byte[0]);
        } else if (hasProtocolFeature(ProtocolFeature.STATUS)) {
            setStatus(0);
        } else {
            throw new FrontEndException(Reason.NOT_OFFERED,
                    "neither RESET_DEVICE nor STATUS was negotiated: the backend has no reset");
        }
        features = 0;
    }

    // ---- rings ----

    /**
     * Sets up queue {@code index} of {@code size} entries at guest address {@code ringBase} in the
     * format the negotiated features select, with fresh kick, call and err eventfds, and enables it
     * when protocol features were negotiated (otherwise the backend starts it on the kick fd).
     */
    public DriverRing startRing(GuestRam ram, int index, int size, long ringBase) throws FrontEndException {
        QueueConfig config = QueueConfig.layout(features, size, ringBase, 0);
        DriverQueue queue;
        try {
            queue = Virtqueues.driver(ram.memory(), config, features);
        } catch (VirtqueueException e) {
            throw new IllegalArgumentException("queue " + index + " does not fit the guest RAM: " + e.getMessage(), e);
        }
        Notifier kick = new Notifier();
        Notifier call = new Notifier();
        Notifier err = new Notifier();
        DriverRing ring = new DriverRing(index, config, queue, new RawRingWriter(ram.memory(), config), kick, call,
                err);
        try {
            request(VhostUserRequest.SET_VRING_NUM, state(index, size));
            request(VhostUserRequest.SET_VRING_BASE, state(index, Virtqueues.freshPosition(features)));
            ByteBuffer a = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
            a.putInt(index).putInt(0).putLong(ram.uva(config.descriptorArea())).putLong(ram.uva(config.deviceArea()))
                    .putLong(ram.uva(config.driverArea())).putLong(0);
            request(VhostUserRequest.SET_VRING_ADDR, a.array());
            request(VhostUserRequest.SET_VRING_CALL, u64(index), call.descriptor());
            request(VhostUserRequest.SET_VRING_ERR, u64(index), err.descriptor());
            request(VhostUserRequest.SET_VRING_KICK, u64(index), kick.descriptor());
            if (protocolFeatures != 0
                    || (features & ProtocolFeature.bit(ProtocolFeature.VIRTIO_F_PROTOCOL_FEATURES)) != 0) {
                request(VhostUserRequest.SET_VRING_ENABLE, state(index, 1));
            }
        } catch (FrontEndException | RuntimeException e) {
            ring.close();
            throw e;
        }
        return ring;
    }

    /** Stops queue {@code index} and returns the position the backend reports (vhost's encoding). */
    public int getVringBase(int index) throws FrontEndException {
        VhostUserRequest r = VhostUserRequest.GET_VRING_BASE;
        wire.send(r.code(), Message.VERSION, state(index, 0));
        ByteBuffer reply = wire.reply("GET_VRING_BASE", r.code(), 8, timeoutMillis);
        if (reply.getInt(0) != index) {
            throw new FrontEndException(Reason.WRONG_REPLY_CONTENT, "GET_VRING_BASE for queue " + index
                    + " answered for queue " + Integer.toUnsignedString(reply.getInt(0)));
        }
        return reply.getInt(4);
    }

    // ---- raw access, for hostile checks ----

    /** Sends any message (code, flags, payload, fds) as is; a reply, if one is due, is read with {@link #readReply}. */
    public void sendRaw(int code, int flags, byte[] payload, FileDescriptor... fds) throws FrontEndException {
        wire.send(code, flags, payload, fds);
    }

    /** Reads one reply to {@code code} with exactly {@code size} payload bytes (-1: any). */
    public ByteBuffer readReply(int code, int size) throws FrontEndException {
        return wire.reply("request " + code, code, size, timeoutMillis);
    }

    /** Whether the backend closed the connection within {@code millis} (its verdict on a hostile message). */
    public boolean closedByBackend(long millis) {
        return wire.closedByPeer(millis);
    }

    // ---- plumbing ----

    private long getU64(VhostUserRequest r) throws FrontEndException {
        wire.send(r.code(), Message.VERSION, new byte[0]);
        return wire.reply(r.name(), r.code(), 8, timeoutMillis).getLong(0);
    }

    /** Sends a request without a defined reply; with REPLY_ACK it asks for and checks the ack. */
    private void request(VhostUserRequest r, byte[] payload, FileDescriptor... fds) throws FrontEndException {
        boolean ack = hasProtocolFeature(ProtocolFeature.REPLY_ACK);
        wire.send(r.code(), (int) (Message.VERSION | (ack ? NEED_REPLY : 0)), payload, fds);
        if (ack) {
            long status = wire.reply(r.name(), r.code(), 8, timeoutMillis).getLong(0);
            if (status != 0) {
                throw new FrontEndException(Reason.NACK, r + " was refused with status " + status);
            }
        }
    }

    private void requireProtocol(int bit, String what) throws FrontEndException {
        if (!hasProtocolFeature(bit)) {
            throw new FrontEndException(Reason.NOT_OFFERED, what + " needs protocol feature " + bit
                    + ", which was not negotiated");
        }
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] state(int index, int num) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(index).putInt(num).array();
    }

    @Override
    public void close() {
        wire.close();
    }
}
