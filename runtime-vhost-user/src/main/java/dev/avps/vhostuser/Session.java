package dev.avps.vhostuser;

import dev.avps.runtime.device.VirtioDevice;
import dev.avps.runtime.DeviceQueue;
import dev.avps.runtime.QueueConfig;
import dev.avps.runtime.RingLayout;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.Virtqueues;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One front-end connection: negotiates features, takes the memory table and ring set-up, starts
 * a {@link QueueWorker} per ready ring, and answers configuration requests.
 *
 * <p>Anything the front end gets wrong ends the session with one log line that says what was
 * wrong; every fd and mapping the session holds is released on the way out, whatever the path.
 *
 * <p>The session's own thread is the only one that closes its socket, its fds and its mappings.
 * Other threads (the accept thread on a takeover or shutdown, a queue worker that hit a memory
 * fault) only {@link #requestEnd ask} it to end: junixsocket closes received fds under its own
 * lock when a socket closes, so a second closer would take the same two locks in the other order.
 */
final class Session implements Runnable {

    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    private static final long RING_PACKED = 1L << 34;
    /**
     * Ring features the runtime implements for every device, offered by the transport so each
     * device need not: INDIRECT_DESC (28) and EVENT_IDX (29). QEMU acks them whenever offered.
     */
    static final long RING_FEATURES = (1L << 28) | (1L << 29);
    /**
     * Device status bits the VIRTIO spec defines (ACKNOWLEDGE 1, DRIVER 2, DRIVER_OK 4,
     * FEATURES_OK 8, DEVICE_NEEDS_RESET 64, FAILED 128); SET_STATUS keeps only these.
     */
    static final long DEFINED_STATUS = 0xcf;
    static final long FEATURES_OK = 8;
    private static final int MAX_QUEUE_SIZE = 32768;
    private static final int VRING_INDEX_MASK = 0xff;
    private static final long VRING_NOFD = 0x100;

    /** Why another thread asked the session to end, and how loudly to log it. */
    private record Ending(String reason, Level level) {
    }

    private final Wire wire;
    private final VirtioDevice device;
    private final String name;
    private final Vring[] vrings;
    private final Runnable onEnd;
    private final AtomicReference<Ending> requested = new AtomicReference<>();
    /** Guards the socket against a shutdown from another thread after the session closed it. */
    private final Object wireLock = new Object();
    private boolean wireClosed;
    private final CountDownLatch ended = new CountDownLatch(1);
    private long features;
    private long protocolFeatures;
    private long status;
    private MemoryTable memory;
    /** Set by SET_BACKEND_REQ_FD; read by whichever thread the device announces a change from. */
    private volatile BackendChannel backendChannel;
    private volatile String endReason;

    Session(Wire wire, VirtioDevice device, String name, Runnable onEnd) {
        this.wire = wire;
        this.device = device;
        this.name = name;
        this.onEnd = onEnd;
        this.vrings = new Vring[device.queueCount()];
        for (int i = 0; i < vrings.length; i++) {
            vrings[i] = new Vring();
        }
    }

    /** Protocol features this backend implements. */
    long supportedProtocolFeatures() {
        long f = ProtocolFeature.bit(ProtocolFeature.MQ) | ProtocolFeature.bit(ProtocolFeature.REPLY_ACK)
                | ProtocolFeature.bit(ProtocolFeature.RESET_DEVICE) | ProtocolFeature.bit(ProtocolFeature.STATUS)
                | ProtocolFeature.bit(ProtocolFeature.CONFIGURE_MEM_SLOTS);
        // A config change is the only request this backend starts: BACKEND_REQ goes with CONFIG.
        return device.configSize() > 0
                ? f | ProtocolFeature.bit(ProtocolFeature.CONFIG) | ProtocolFeature.bit(ProtocolFeature.BACKEND_REQ)
                : f;
    }

    /** Why the session ended, for tests and logs; {@code null} while it runs. */
    String endReason() {
        return endReason;
    }

    String name() {
        return name;
    }

    @Override
    public void run() {
        String reason = "internal error";
        Level level = Level.WARNING;
        // From now on the device's config changes reach this front end (once it gives a channel).
        device.onConfigChange(this::announceConfigChange);
        try {
            Message m;
            while ((m = wire.read()) != null) {
                handle(m);
            }
            reason = "the front end closed the connection";
            level = Level.INFO;
        } catch (VhostUserException e) {
            reason = e.getMessage();
        } catch (IOException e) {
            reason = "I/O error on the connection: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            reason = "internal error: " + e;
        } catch (InternalError e) {
            if (!MemoryFault.is(e)) {
                throw e;
            }
            reason = MemoryFault.reason("the session", e);
        } finally {
            // When another thread asked for the end, whatever the read saw is its consequence.
            Ending asked = requested.get();
            end(asked != null ? asked.reason() : reason, asked != null ? asked.level() : level);
        }
    }

    /**
     * Asks the session to end, from any thread; the first reason wins. The socket is shut down
     * (not closed), so the session thread's read returns and that thread releases everything.
     */
    void requestEnd(String reason, Level level) {
        requested.compareAndSet(null, new Ending(reason, level));
        synchronized (wireLock) {
            if (!wireClosed) {
                wire.shutdown();
            }
        }
    }

    /** Waits until the session has released everything; true when it has. */
    boolean awaitEnd(long millis) throws InterruptedException {
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    boolean hasEnded() {
        return ended.getCount() == 0;
    }

    private void end(String reason, Level level) {
        boolean stuck = false;
        for (Vring v : vrings) {
            try {
                stop(v);
                v.closeFds();
            } catch (IllegalStateException e) {
                // A device handler that never returns: its memory and fds stay, rather than crash it.
                stuck = true;
                LOG.log(Level.ERROR, "{0}: {1}; its guest memory stays mapped", name, e.getMessage());
            }
        }
        if (memory != null && !stuck) {
            memory.close();
            memory = null;
        }
        if (features != 0) {
            try {
                device.reset();
            } catch (RuntimeException e) {
                // the connection still ends, and the next front end resets the device again
                LOG.log(Level.ERROR, "{0}: the device failed to reset: {1}", name, e.toString());
            }
        }
        BackendChannel channel = backendChannel;
        if (channel != null) {
            channel.close();
        }
        synchronized (wireLock) {
            wireClosed = true;
            try {
                wire.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        endReason = reason;
        LOG.log(level, "{0}: connection closed: {1}", name, reason);
        onEnd.run();
        ended.countDown();
    }

    /** The fd the current message's handler kept (a kick, call or err fd). */
    private FileDescriptor adopted;

    private void handle(Message m) throws VhostUserException, IOException {
        adopted = null;
        try {
            dispatch(m);
        } finally {
            // Fds a handler did not take over are closed, so a bad message cannot leak them.
            for (FileDescriptor fd : m.fds()) {
                if (fd.valid() && fd != adopted) {
                    Fds.closeQuietly(fd);
                }
            }
        }
    }

    private void dispatch(Message m) throws VhostUserException, IOException {
        VhostUserRequest r = VhostUserRequest.of(m.code());
        if (r == null) {
            throw new VhostUserException("unknown request " + m.code());
        }
        r.checkShape(m);
        switch (r) {
            case GET_FEATURES -> wire.replyU64(m.code(), offered());
            case SET_FEATURES -> setFeatures(m.u64("SET_FEATURES"));
            case SET_OWNER -> { }
            case RESET_OWNER, RESET_DEVICE -> reset();
            case GET_PROTOCOL_FEATURES -> wire.replyU64(m.code(), supportedProtocolFeatures());
            case SET_PROTOCOL_FEATURES -> {
                long f = m.u64("SET_PROTOCOL_FEATURES");
                if ((f & ~supportedProtocolFeatures()) != 0) {
                    throw new VhostUserException(String.format(
                            "SET_PROTOCOL_FEATURES 0x%x asks for bits 0x%x this backend did not offer", f,
                            f & ~supportedProtocolFeatures()));
                }
                protocolFeatures = f;
            }
            case GET_QUEUE_NUM -> wire.replyU64(m.code(), vrings.length);
            case GET_MAX_MEM_SLOTS -> wire.replyU64(m.code(), MemoryTable.MAX_REGIONS);
            case SET_MEM_TABLE -> setMemTable(m);
            case ADD_MEM_REG, REM_MEM_REG -> changeMemSlot(r, m);
            case SET_VRING_NUM -> setNum(m);
            case SET_VRING_ADDR -> setAddr(m);
            case SET_VRING_BASE -> {
                Vring v = vring("SET_VRING_BASE", m.u32("SET_VRING_BASE", 0));
                v.base = m.u32("SET_VRING_BASE", 4);
                v.baseSet = true;
            }
            case GET_VRING_BASE -> getBase(m);
            case SET_VRING_KICK, SET_VRING_CALL, SET_VRING_ERR -> setFd(r, m);
            case SET_VRING_ENABLE -> {
                Vring v = vring("SET_VRING_ENABLE", m.u32("SET_VRING_ENABLE", 0));
                v.enabled = m.u32("SET_VRING_ENABLE", 4) != 0;
                if (v.enabled) {
                    maybeStart(m.u32("SET_VRING_ENABLE", 0));
                } else {
                    stop(v);
                }
            }
            case SET_BACKEND_REQ_FD -> setBackendChannel(m);
            case GET_CONFIG -> ConfigRequests.get(m, device, wire);
            case SET_CONFIG -> ConfigRequests.set(m, device);
            case SET_STATUS -> setStatus(m.u64("SET_STATUS"));
            case GET_STATUS -> wire.replyU64(m.code(), status);
            default -> throw new VhostUserException("unhandled request " + r);
        }
        if (m.needsReply() && !r.answered()
                && (protocolFeatures & ProtocolFeature.bit(ProtocolFeature.REPLY_ACK)) != 0) {
            wire.replyU64(m.code(), 0);
        }
    }

    /** Takes the socket for backend requests; a second one replaces the first. */
    private void setBackendChannel(Message m) throws VhostUserException {
        if ((protocolFeatures & ProtocolFeature.bit(ProtocolFeature.BACKEND_REQ)) == 0) {
            throw new VhostUserException("SET_BACKEND_REQ_FD before BACKEND_REQ was negotiated");
        }
        m.requireFds("SET_BACKEND_REQ_FD", 1);
        FileDescriptor fd = m.fds()[0];
        Fds.requireSocket("SET_BACKEND_REQ_FD", fd);
        BackendChannel old = backendChannel;
        backendChannel = new BackendChannel(fd, name);
        adopted = fd;
        if (old != null) {
            old.close();
        }
    }

    /**
     * The device's config space changed: the front end is told through the backend channel. Without
     * one (the front end did not take BACKEND_REQ) the driver sees the change at its next read.
     */
    private void announceConfigChange() {
        BackendChannel channel = backendChannel;
        if (channel == null || !channel.configChanged()) {
            LOG.log(Level.DEBUG, "{0}: config changed; no backend channel to announce it on", name);
        }
    }

    /** A FEATURES_OK the device cannot work with stays clear, for the driver to read back. */
    private long offered() {
        return device.features() | RING_FEATURES | ProtocolFeature.bit(ProtocolFeature.VIRTIO_F_PROTOCOL_FEATURES);
    }

    private void setFeatures(long f) throws VhostUserException {
        long offered = offered();
        if ((f & ~offered) != 0) {
            throw new VhostUserException(String.format("SET_FEATURES 0x%x accepts bits 0x%x the device did not offer",
                    f, f & ~offered));
        }
        features = f & ~ProtocolFeature.bit(ProtocolFeature.VIRTIO_F_PROTOCOL_FEATURES);
        device.featuresNegotiated(features);
    }

    /**
     * Keeps the status the front end sets, except FEATURES_OK for features the device cannot work
     * with: the driver reads the status back and sees them refused.
     */
    private void setStatus(long s) {
        long next = s & DEFINED_STATUS;
        if ((next & FEATURES_OK) != 0 && !device.acceptsFeatures(features)) {
            LOG.log(Level.INFO, name + ": the device refuses FEATURES_OK for features 0x" + Long.toHexString(features));
            next &= ~FEATURES_OK;
        }
        status = next;
    }

    private void reset() {
        for (Vring v : vrings) {
            stop(v);
            v.baseSet = false;
        }
        if (features != 0) {
            device.reset();
        }
        features = 0;
        status = 0;
    }

    private void setMemTable(Message m) throws VhostUserException {
        List<MemoryTable.Region> regions = MemoryTable.parse(m);
        // Rings keep pointers into the old table: stop them before it goes, restart on the new one.
        boolean[] wasRunning = new boolean[vrings.length];
        for (int i = 0; i < vrings.length; i++) {
            wasRunning[i] = vrings[i].running();
            stop(vrings[i]);
        }
        MemoryTable fresh = MemoryTable.map(regions, m.fds());
        if (memory != null) {
            memory.close();
        }
        memory = fresh;
        for (int i = 0; i < vrings.length; i++) {
            if (wasRunning[i]) {
                maybeStart(i);
            }
        }
    }

    /**
     * CONFIGURE_MEM_SLOTS: one region added or removed. libblkio shares its rings and I/O buffers
     * only this way, from its own address space, and may do so while its queues run. Rings hold
     * the old table, so they stop, the table changes and they resume where they stopped, as for
     * SET_MEM_TABLE.
     */
    private void changeMemSlot(VhostUserRequest r, Message m) throws VhostUserException {
        MemoryTable.Region region = MemoryTable.parseSlot(r.name(), m);
        boolean add = r == VhostUserRequest.ADD_MEM_REG;
        if (add) {
            m.requireFds("ADD_MEM_REG", 1);
        } else if (memory == null || !memory.contains(region)) {
            throw new VhostUserException("REM_MEM_REG names a region that is not mapped: " + region);
        }
        boolean[] wasRunning = new boolean[vrings.length];
        for (int i = 0; i < vrings.length; i++) {
            wasRunning[i] = vrings[i].running();
            stop(vrings[i]);
        }
        if (add) {
            memory = memory == null ? MemoryTable.map(List.of(region), m.fds()) : memory.plus(region, m.fds()[0]);
        } else {
            memory = memory.minus(region);
        }
        for (int i = 0; i < vrings.length; i++) {
            if (wasRunning[i]) {
                maybeStart(i);
            }
        }
    }

    private Vring vring(String what, int index) throws VhostUserException {
        if (index < 0 || index >= vrings.length) {
            throw new VhostUserException(what + " names queue " + Integer.toUnsignedString(index) + ", but the device has "
                    + vrings.length);
        }
        return vrings[index];
    }

    private void setNum(Message m) throws VhostUserException {
        Vring v = vring("SET_VRING_NUM", m.u32("SET_VRING_NUM", 0));
        int num = m.u32("SET_VRING_NUM", 4);
        boolean packed = (features & RING_PACKED) != 0;
        if (num < 1 || num > MAX_QUEUE_SIZE || (!packed && Integer.bitCount(num) != 1)) {
            throw new VhostUserException("SET_VRING_NUM " + Integer.toUnsignedString(num)
                    + " is not a valid queue size (a power of two from 1 to " + MAX_QUEUE_SIZE + ")");
        }
        if (v.running()) {
            throw new VhostUserException("SET_VRING_NUM on queue " + m.u32("", 0) + " while it runs");
        }
        v.num = num;
    }

    private void setAddr(Message m) throws VhostUserException {
        m.requireSize("SET_VRING_ADDR", 40);
        Vring v = vring("SET_VRING_ADDR", m.u32("SET_VRING_ADDR", 0));
        if (v.running()) {
            throw new VhostUserException("SET_VRING_ADDR on queue " + m.u32("", 0) + " while it runs");
        }
        v.descUser = m.u64At("SET_VRING_ADDR", 8);
        v.usedUser = m.u64At("SET_VRING_ADDR", 16);
        v.availUser = m.u64At("SET_VRING_ADDR", 24);
        v.addressed = true;
    }

    private void getBase(Message m) throws VhostUserException, IOException {
        int index = m.u32("GET_VRING_BASE", 0);
        Vring v = vring("GET_VRING_BASE", index);
        // The worker completes in order and parks at most one chain, so the resume position that
        // stop() records offers that chain again to whoever starts the ring next.
        stop(v);
        int base = v.position(features);
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(index).putInt(base);
        wire.reply(m.code(), b.array());
    }

    private void setFd(VhostUserRequest r, Message m) throws VhostUserException, IOException {
        long v64 = m.u64(r.name());
        if ((v64 & ~(VRING_INDEX_MASK | VRING_NOFD)) != 0) {
            throw new VhostUserException(String.format("%s value 0x%x has unknown bits set", r, v64));
        }
        int index = (int) (v64 & VRING_INDEX_MASK);
        Vring v = vring(r.name(), index);
        boolean noFd = (v64 & VRING_NOFD) != 0;
        m.requireFds(r + (noFd ? " with the no-fd flag" : ""), noFd ? 0 : 1);
        if (!noFd) {
            Fds.requireEventFd(r + " for queue " + index, m.fds()[0]);
        }
        EventFd fd = noFd ? null : new EventFd(m.fds()[0]);
        adopted = noFd ? null : m.fds()[0];
        switch (r) {
            case SET_VRING_KICK -> {
                stop(v);
                replace(v.kick);
                v.kick = fd;
                if (fd == null) {
                    throw new VhostUserException("SET_VRING_KICK without an fd asks for in-band kicks, which this"
                            + " backend does not support");
                }
                maybeStart(index);
            }
            case SET_VRING_CALL -> {
                if (v.running()) {
                    // The worker holds the old call fd: restart it on the new one.
                    stop(v);
                    replace(v.call);
                    v.call = fd;
                    maybeStart(index);
                } else {
                    replace(v.call);
                    v.call = fd;
                }
            }
            default -> {
                stop(v);
                replace(v.err);
                v.err = fd;
                maybeStart(index);
            }
        }
    }

    private static void replace(EventFd old) {
        if (old != null) {
            old.close();
        }
    }

    /** Starts a ring once it has memory, size, addresses and a kick fd, and is enabled. */
    private void maybeStart(int index) throws VhostUserException {
        Vring v = vrings[index];
        boolean enabledByDefault = (features & ProtocolFeature.bit(ProtocolFeature.VIRTIO_F_PROTOCOL_FEATURES)) == 0
                && protocolFeatures == 0;
        if (v.running() || memory == null || v.num == 0 || !v.addressed || v.kick == null
                || !(v.enabled || enabledByDefault)) {
            return;
        }
        boolean packed = (features & RING_PACKED) != 0;
        long desc = guest(index, "descriptor table", v.descUser, RingLayout.descriptorAreaSize(v.num));
        long avail = guest(index, packed ? "driver event area" : "available ring", v.availUser,
                RingLayout.driverAreaSize(packed, v.num));
        long used = guest(index, packed ? "device event area" : "used ring", v.usedUser,
                RingLayout.deviceAreaSize(packed, v.num));
        DeviceQueue q;
        try {
            q = Virtqueues.device(memory.memory(), QueueConfig.of(v.num, desc, avail, used), features,
                    v.position(features));
        } catch (VirtqueueException | RuntimeException e) {
            throw new VhostUserException("queue " + index + " cannot start: " + e.getMessage(), e);
        }
        try {
            v.worker = new QueueWorker(index, q, device, v.kick, v.call, v.err, name + "-q" + index,
                    reason -> requestEnd(reason, Level.WARNING));
        } catch (IOException e) {
            throw new VhostUserException("queue " + index + ": cannot wait on its kick fd: " + e.getMessage(), e);
        }
        v.worker.start();
    }

    private long guest(int index, String what, long userAddr, long length) throws VhostUserException {
        long gpa = memory.toGuest(userAddr, length);
        if (gpa == -1) {
            throw new VhostUserException(String.format("queue %d: %s at 0x%x (%d bytes) is outside the shared memory",
                    index, what, userAddr, length));
        }
        return gpa;
    }

    /**
     * Stops a running ring and remembers where it stopped, so that a restart (new fds, a new
     * memory table, another backend after GET_VRING_BASE) carries on there instead of replaying
     * the ring from the start.
     */
    private static void stop(Vring v) {
        if (v.worker != null) {
            DeviceQueue q = v.worker.queue();
            v.worker.stop();
            v.worker = null;
            v.base = q.resumePosition();
            v.baseSet = true;
        }
    }
}
