package dev.avps.conform;

import dev.avps.vhostuser.ProtocolFeature;
import dev.avps.vhostuser.driver.DriverRing;
import dev.avps.vhostuser.driver.FrontEndException;
import dev.avps.vhostuser.driver.FrontEndException.Reason;
import dev.avps.vhostuser.driver.GuestRam;
import dev.avps.vhostuser.driver.VhostUserFrontEnd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One connection to the backend, negotiated the way a driver does it (features, protocol
 * features, owner, memory, FEATURES_OK when the status is reachable), with guest RAM for rings
 * and request buffers. Rings start on first use. A check opens as many sessions as it needs; each
 * ends when the check ends.
 *
 * <p>Guest RAM: one region of {@link #RAM_SIZE} at {@link #RAM_BASE}; the first 4 MiB hold rings
 * (64 KiB per queue, a fresh bank after each reset), the rest request buffers, each with guard
 * bytes on both sides (see {@link Exchange}).
 */
public final class Session implements AutoCloseable {
    public static final long RAM_BASE = 0x10_0000;
    public static final long RAM_SIZE = 16 << 20;
    static final long RING_STRIDE = 0x1_0000;
    static final int RING_BANKS = 4;
    static final int MAX_QUEUES = 16;
    static final long DATA_BASE = RAM_BASE + RING_BANKS * MAX_QUEUES * RING_STRIDE;
    static final int QUEUE_SIZE = 64;

    /** Device status bits (VIRTIO 1.x 2.1). */
    public static final long S_ACKNOWLEDGE = 1;
    public static final long S_DRIVER = 2;
    public static final long S_DRIVER_OK = 4;
    public static final long S_FEATURES_OK = 8;
    public static final long S_NEEDS_RESET = 0x40;

    public static final long VERSION_1 = 1L << 32;
    public static final long PROTOCOL_FEATURES = 1L << ProtocolFeature.VIRTIO_F_PROTOCOL_FEATURES;
    /** The protocol features this front end uses when the backend has them. */
    static final long WANTED_PROTOCOL = ProtocolFeature.bit(ProtocolFeature.REPLY_ACK)
            | ProtocolFeature.bit(ProtocolFeature.CONFIG) | ProtocolFeature.bit(ProtocolFeature.MQ)
            | ProtocolFeature.bit(ProtocolFeature.RESET_DEVICE) | ProtocolFeature.bit(ProtocolFeature.STATUS);

    private VhostUserFrontEnd fe;
    private final GuestRam ram;
    private final long requestMillis;
    private final long offered;
    private long negotiated;
    private final Map<Integer, DriverRing> rings = new TreeMap<>();
    private int bank;
    private long nextData = DATA_BASE;
    /** Where request buffers end: long-lived buffers ({@link #reserve}) are taken from the top down. */
    private long dataLimit = RAM_BASE + RAM_SIZE;
    private boolean driverOk;

    private Session(VhostUserFrontEnd fe, GuestRam ram, long requestMillis, long offered) {
        this.fe = fe;
        this.ram = ram;
        this.requestMillis = requestMillis;
        this.offered = offered;
    }

    /**
     * Connects and negotiates {@code wanted} (those of them the backend offers, plus
     * PROTOCOL_FEATURES when offered). With the STATUS protocol feature the device must keep
     * FEATURES_OK, or this fails with {@code NACK}.
     */
    public static Session open(Target target, long wanted) throws FrontEndException {
        VhostUserFrontEnd fe = Connector.connect(target);
        GuestRam ram = null;
        try {
            long offered = fe.getFeatures();
            if ((offered & PROTOCOL_FEATURES) != 0) {
                long pf = fe.getProtocolFeatures();
                fe.setProtocolFeatures(pf & WANTED_PROTOCOL);
            }
            fe.setOwner();
            ram = GuestRam.create(new GuestRam.Region(RAM_BASE, RAM_SIZE));
            Session s = new Session(fe, ram, target.requestMillis(), offered);
            s.negotiate(wanted);
            fe.setMemTable(ram);
            return s;
        } catch (FrontEndException | RuntimeException e) {
            fe.close();
            if (ram != null) {
                ram.close();
            }
            throw e;
        }
    }

    /** SET_FEATURES (and the status handshake up to FEATURES_OK when STATUS was negotiated). */
    private void negotiate(long wanted) throws FrontEndException {
        negotiated = offered & (wanted | PROTOCOL_FEATURES);
        if (hasStatus()) {
            fe.setStatus(S_ACKNOWLEDGE | S_DRIVER);
        }
        fe.setFeatures(negotiated);
        if (hasStatus()) {
            fe.setStatus(S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
            long st = fe.getStatus();
            if ((st & S_FEATURES_OK) == 0) {
                throw new FrontEndException(Reason.NACK, "the device cleared FEATURES_OK for features 0x"
                        + Long.toHexString(negotiated) + " (status now 0x" + Long.toHexString(st) + ")");
            }
        }
        driverOk = false;
    }

    public long offered() {
        return offered;
    }

    public long negotiated() {
        return negotiated;
    }

    public VhostUserFrontEnd frontEnd() {
        return fe;
    }

    public GuestRam ram() {
        return ram;
    }

    public long requestMillis() {
        return requestMillis;
    }

    public boolean hasConfig() {
        return fe.hasProtocolFeature(ProtocolFeature.CONFIG);
    }

    public boolean hasStatus() {
        return fe.hasProtocolFeature(ProtocolFeature.STATUS);
    }

    public boolean hasMq() {
        return fe.hasProtocolFeature(ProtocolFeature.MQ);
    }

    public boolean canReset() {
        return fe.hasProtocolFeature(ProtocolFeature.RESET_DEVICE) || hasStatus();
    }

    public byte[] config(int size) throws FrontEndException {
        return fe.getConfig(0, size);
    }

    /** Queue {@code index}, set up on first use (and DRIVER_OK sent once, when the status is reachable). */
    public DriverRing ring(int index) throws FrontEndException {
        if (index < 0 || index >= MAX_QUEUES) {
            throw new IllegalArgumentException("queue " + index + " is beyond the " + MAX_QUEUES + " this front end sets up");
        }
        DriverRing r = rings.get(index);
        if (r == null) {
            long base = RAM_BASE + (bank * MAX_QUEUES + index) * RING_STRIDE;
            r = fe.startRing(ram, index, QUEUE_SIZE, base);
            rings.put(index, r);
            if (hasStatus() && !driverOk) {
                fe.setStatus(S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
                driverOk = true;
            }
        }
        return r;
    }

    /** A request to build on queue {@code index}. */
    public Exchange exchange(int index) throws FrontEndException {
        return new Exchange(this, ring(index));
    }

    /**
     * Device-to-driver buffers of {@code size} bytes each on queue {@code index} (none posted yet:
     * see {@link Inbox#post}); they live as long as the session, apart from the request buffers.
     */
    public Inbox inbox(int index, int size) throws FrontEndException {
        return new Inbox(this, ring(index), size);
    }

    /**
     * Waits up to {@code millis} for the next used buffer on queue {@code index} (submitted with
     * {@link Exchange#submit}); {@code NO_COMPLETION} when none comes.
     */
    public dev.avps.runtime.Completion awaitUsed(int index, long millis) throws FrontEndException {
        return ring(index).awaitUsed(millis);
    }

    /** Resets the device (RESET_DEVICE or status 0); {@link #renegotiate} makes it usable again. */
    public void reset() throws FrontEndException {
        closeRings();
        fe.reset();
        bank = (bank + 1) % RING_BANKS;
    }

    /** After a reset: the same features again; rings start afresh on first use. */
    public void renegotiate() throws FrontEndException {
        negotiate(negotiated);
    }

    /** The device status, or -1 when the STATUS protocol feature is missing. */
    public long status() throws FrontEndException {
        return hasStatus() ? fe.getStatus() : -1;
    }

    /** Guest memory for a buffer the caller writes by hand (hostile chains), with guard space around it. */
    public long scratch(int len) {
        return alloc(len, Exchange.GUARD);
    }

    /** Takes {@code len} bytes of request buffer with {@code guard} free bytes on each side. */
    long alloc(int len, int guard) {
        long at = align(nextData + guard);
        if (at + len + guard > dataLimit) {
            at = align(DATA_BASE + guard); // exchanges run one at a time: earlier buffers are free again
        }
        nextData = at + len + guard;
        return at;
    }

    /**
     * Takes {@code len} bytes for the rest of the session (buffers kept posted while requests come
     * and go): request buffers wrap around below them from now on.
     */
    long reserve(int len) {
        long at = (dataLimit - len - Exchange.GUARD) & ~63L;
        if (at < DATA_BASE + (1 << 20)) {
            throw new IllegalStateException("guest RAM left for long-lived buffers is exhausted");
        }
        dataLimit = at - Exchange.GUARD;
        return at;
    }

    private static long align(long a) {
        return (a + 63) & ~63L;
    }

    byte[] read(long gpa, int len) {
        byte[] b = new byte[len];
        ram.memory().read(gpa, b, 0, len);
        return b;
    }

    void write(long gpa, byte[] b) {
        ram.memory().write(gpa, b, 0, b.length);
    }

    void fill(long gpa, int len, byte value) {
        byte[] b = new byte[len];
        Arrays.fill(b, value);
        write(gpa, b);
    }

    private void closeRings() {
        List<DriverRing> all = new ArrayList<>(rings.values());
        rings.clear();
        for (DriverRing r : all) {
            r.close();
        }
    }

    @Override
    public void close() {
        closeRings();
        fe.close();
        ram.close();
    }
}
