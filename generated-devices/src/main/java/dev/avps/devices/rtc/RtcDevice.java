package dev.avps.devices.rtc;

import dev.avps.generated.rtc.AlarmRequest;
import dev.avps.generated.rtc.CfgRequest;
import dev.avps.generated.rtc.ClockCapRequest;
import dev.avps.generated.rtc.CrossCapRequest;
import dev.avps.generated.rtc.ReadAlarmRequest;
import dev.avps.generated.rtc.ReadCrossRequest;
import dev.avps.generated.rtc.ReadRequest;
import dev.avps.generated.rtc.RtcDeviceBase;
import dev.avps.generated.rtc.SetAlarmEnabledRequest;
import dev.avps.generated.rtc.SetAlarmRequest;
import dev.avps.generated.rtc.VirtioRtcClockType;
import dev.avps.generated.rtc.VirtioRtcCounter;
import dev.avps.generated.rtc.VirtioRtcStatus;
import dev.avps.runtime.DescriptorChain;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * virtio-rtc (device ID 17): three read-only clocks taken from the host, UTC (clock 0), TAI
 * (clock 1) and a monotonic clock (clock 2), answered through CFG, CLOCK_CAP and READ.
 *
 * <p>What the device lacks it says so the way the spec asks: VIRTIO_RTC_F_ALARM is not offered, so
 * no clock has the alarm capability and the three alarm requests get EOPNOTSUPP; no clock can be
 * cross-timestamped, so CROSS_CAP answers OK with the capability flag clear and READ_CROSS gets
 * EOPNOTSUPP (an implementation limitation, in the spec's words).
 *
 * <p>Hostile requests get the spec's status and never an exception: a request that does not fit
 * the device-readable part, or a response that does not fit the device-writable part, gets EINVAL
 * (or nothing, when not even the status byte fits); a clock id of three or more gets ENODEV; an
 * unknown message type or hardware counter gets EOPNOTSUPP. Refusals are counted and the last one
 * kept, so a test or an operator can see what a driver sent.
 *
 * <p>Every request of this device is answered on the requestq's one worker thread, in the order
 * the driver made them available, which gives the ordering the spec asks of reads of one clock.
 */
public final class RtcDevice extends RtcDeviceBase {

    private static final System.Logger LOG = System.getLogger(RtcDevice.class.getName());

    // Wire values from the catalog through the generated classes.
    static final int OK = VirtioRtcStatus.VIRTIO_RTC_S_OK;
    static final int EOPNOTSUPP = VirtioRtcStatus.VIRTIO_RTC_S_EOPNOTSUPP;
    static final int ENODEV = VirtioRtcStatus.VIRTIO_RTC_S_ENODEV;
    static final int EINVAL = VirtioRtcStatus.VIRTIO_RTC_S_EINVAL;

    /** The clock types in clock-id order: the ids the driver reads them by. */
    public static final List<Integer> CLOCKS = List.of(VirtioRtcClockType.VIRTIO_RTC_CLOCK_UTC,
            VirtioRtcClockType.VIRTIO_RTC_CLOCK_TAI, VirtioRtcClockType.VIRTIO_RTC_CLOCK_MONOTONIC);
    public static final int UTC = 0;
    public static final int TAI = 1;
    public static final int MONOTONIC = 2;

    /**
     * TAI - UTC in seconds: 37 s since the leap second at the end of 2016 (IERS Bulletin C). Java's
     * clocks know nothing of leap seconds: at a new one the host's UTC steps, as the spec asks of a
     * UTC clock, and this TAI would step with it unless the constant changed at that instant.
     */
    public static final long TAI_MINUS_UTC_SECONDS = 37;

    /** Bytes of every response head; a status is its first byte. */
    private static final int RESP_HEAD = 8;

    private final Clock utc;
    private final LongSupplier nanoTime;
    /** nanoTime at construction: the monotonic clock's epoch, before any device reset. */
    private final long monotonicEpoch;
    /** The last monotonic reading handed out, so readings never go backwards whatever the source does. */
    private long lastMonotonic;

    /** Told every READ answered OK, on the requestq's thread. */
    @FunctionalInterface
    public interface ReadListener {
        void served(int clockId, long reading);
    }

    private volatile ReadListener readListener = (id, reading) -> { };
    private final AtomicLongArray reads = new AtomicLongArray(CLOCKS.size());
    private final AtomicLong refusals = new AtomicLong();
    private volatile String lastRefusal = "";

    /** Clocks from the host: the system UTC clock and {@link System#nanoTime()}. */
    public RtcDevice() {
        this(Clock.systemUTC(), System::nanoTime);
    }

    /**
     * @param utc      the UTC source (its {@link Instant}s carry nanoseconds where the host has them)
     * @param nanoTime a monotonic nanosecond counter; its value now is the monotonic clock's zero
     */
    public RtcDevice(Clock utc, LongSupplier nanoTime) {
        super(0L);
        this.utc = utc;
        this.nanoTime = nanoTime;
        this.monotonicEpoch = nanoTime.getAsLong();
    }

    /**
     * Two queue slots, though only the requestq exists without VIRTIO_RTC_F_ALARM: QEMU 11.1's
     * vhost-user-rtc-pci sets up two vrings whatever the features (with one slot its
     * SET_VRING_CALL for queue 1 is refused and QEMU gives up at start-up, as tried with
     * RtcGuestTest), and a front end that sets up the requestq alone is unaffected. A buffer on
     * the second slot is no request; it is counted as a refusal and completed empty.
     */
    @Override
    public int queueCount() {
        return 2;
    }

    /** Reads clock {@code id} now, in nanoseconds since its epoch. */
    public long read(int id) {
        return switch (id) {
            case UTC -> utcNanos();
            case TAI -> utcNanos() + TAI_MINUS_UTC_SECONDS * 1_000_000_000L;
            case MONOTONIC -> monotonicNanos();
            default -> throw new IllegalArgumentException("no clock " + id);
        };
    }

    private long utcNanos() {
        Instant now = utc.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private synchronized long monotonicNanos() {
        lastMonotonic = Math.max(lastMonotonic, nanoTime.getAsLong() - monotonicEpoch);
        return lastMonotonic;
    }

    /** The {@link System#nanoTime()} value the monotonic clock counts from (with the host's clocks). */
    public long monotonicEpoch() {
        return monotonicEpoch;
    }

    /** Watches the readings handed to the driver (a test comparing them with what the guest saw). */
    public void onRead(ReadListener listener) {
        this.readListener = listener;
    }

    /** READ requests answered OK for clock {@code id} since the device was made. */
    public long reads(int id) {
        return reads.get(id);
    }

    /** Requests answered with a status other than OK, or not at all. */
    public long refusals() {
        return refusals.get();
    }

    public String lastRefusal() {
        return lastRefusal;
    }

    @Override
    protected int onCfg(CfgRequest request) {
        if (!request.wellFormed()) {
            return misfit(request.chain(), "CFG", CfgRequest.Readable.SIZE, CfgRequest.Writable.SIZE);
        }
        answer(request.chain(), CfgRequest.Writable.SIZE);
        request.writable().resp().numClocks(CLOCKS.size()).head().status(OK);
        return CfgRequest.Writable.SIZE;
    }

    @Override
    protected int onClockCap(ClockCapRequest request) {
        if (!request.wellFormed()) {
            return misfit(request.chain(), "CLOCK_CAP", ClockCapRequest.Readable.SIZE, ClockCapRequest.Writable.SIZE);
        }
        int id = request.readable().req().clockId();
        if (id >= CLOCKS.size()) {
            return refuse(request.chain(), ClockCapRequest.Writable.SIZE, ENODEV, "CLOCK_CAP of clock " + id);
        }
        // Not smeared (the smearing field is for UTC_SMEARED clocks only) and no alarm.
        answer(request.chain(), ClockCapRequest.Writable.SIZE);
        request.writable().resp().type(CLOCKS.get(id)).leapSecondSmearing(0).flags(0).head().status(OK);
        return ClockCapRequest.Writable.SIZE;
    }

    @Override
    protected int onCrossCap(CrossCapRequest request) {
        if (!request.wellFormed()) {
            return misfit(request.chain(), "CROSS_CAP", CrossCapRequest.Readable.SIZE, CrossCapRequest.Writable.SIZE);
        }
        var req = request.readable().req();
        if (req.clockId() >= CLOCKS.size()) {
            return refuse(request.chain(), CrossCapRequest.Writable.SIZE, ENODEV, "CROSS_CAP of clock " + req.clockId());
        }
        if (!knownCounter(req.hwCounter())) {
            return refuse(request.chain(), CrossCapRequest.Writable.SIZE, EOPNOTSUPP,
                    "CROSS_CAP with unknown counter " + req.hwCounter());
        }
        // A counter the spec names, but none can be related to the host's clocks from here.
        answer(request.chain(), CrossCapRequest.Writable.SIZE);
        request.writable().resp().flags(0).head().status(OK);
        return CrossCapRequest.Writable.SIZE;
    }

    @Override
    protected int onRead(ReadRequest request) {
        if (!request.wellFormed()) {
            return misfit(request.chain(), "READ", ReadRequest.Readable.SIZE, ReadRequest.Writable.SIZE);
        }
        int id = request.readable().req().clockId();
        if (id >= CLOCKS.size()) {
            return refuse(request.chain(), ReadRequest.Writable.SIZE, ENODEV, "READ of clock " + id);
        }
        // Read only now: the spec wants the reading taken after the driver made the request available.
        answer(request.chain(), ReadRequest.Writable.SIZE);
        long reading = read(id);
        request.writable().resp().clockReading(reading).head().status(OK);
        reads.incrementAndGet(id);
        readListener.served(id, reading);
        return ReadRequest.Writable.SIZE;
    }

    @Override
    protected int onReadCross(ReadCrossRequest request) {
        if (!request.wellFormed()) {
            return misfit(request.chain(), "READ_CROSS", ReadCrossRequest.Readable.SIZE, ReadCrossRequest.Writable.SIZE);
        }
        var req = request.readable().req();
        if (req.clockId() >= CLOCKS.size()) {
            return refuse(request.chain(), ReadCrossRequest.Writable.SIZE, ENODEV, "READ_CROSS of clock " + req.clockId());
        }
        return refuse(request.chain(), ReadCrossRequest.Writable.SIZE, EOPNOTSUPP,
                "READ_CROSS (no cross-timestamping), counter " + req.hwCounter());
    }

    @Override
    protected int onReadAlarm(ReadAlarmRequest request) {
        if (!request.wellFormed()) {
            return misfit(request.chain(), "READ_ALARM", ReadAlarmRequest.Readable.SIZE, ReadAlarmRequest.Writable.SIZE);
        }
        return noAlarm(request.chain(), ReadAlarmRequest.Writable.SIZE, "READ_ALARM");
    }

    @Override
    protected int onSetAlarm(SetAlarmRequest request) {
        if (!request.wellFormed()) {
            return misfit(request.chain(), "SET_ALARM", SetAlarmRequest.Readable.SIZE, SetAlarmRequest.Writable.SIZE);
        }
        return noAlarm(request.chain(), SetAlarmRequest.Writable.SIZE, "SET_ALARM");
    }

    @Override
    protected int onSetAlarmEnabled(SetAlarmEnabledRequest request) {
        if (!request.wellFormed()) {
            return misfit(request.chain(), "SET_ALARM_ENABLED", SetAlarmEnabledRequest.Readable.SIZE,
                    SetAlarmEnabledRequest.Writable.SIZE);
        }
        return noAlarm(request.chain(), SetAlarmEnabledRequest.Writable.SIZE, "SET_ALARM_ENABLED");
    }

    /** Without VIRTIO_RTC_F_ALARM the device must not support the alarm messages. */
    private int noAlarm(DescriptorChain chain, int respSize, String what) {
        return refuse(chain, respSize, EOPNOTSUPP, what + " (VIRTIO_RTC_F_ALARM is not offered)");
    }

    /** The alarmq exists only with VIRTIO_RTC_F_ALARM, which is never offered: nothing to send. */
    @Override
    protected int onAlarm(AlarmRequest request) {
        return refuse(request.chain(), 0, EINVAL, "a buffer on the alarmq, which this device does not have");
    }

    /** Too short to hold a message type: the request does not fit the device-readable part. */
    @Override
    protected int onMalformed(int queue, DescriptorChain chain) {
        return refuse(chain, RESP_HEAD, EINVAL, "a request of " + chain.readableBytes() + " readable bytes");
    }

    @Override
    protected int onUnknownRequest(int queue, DescriptorChain chain, long selector) {
        return refuse(chain, RESP_HEAD, EOPNOTSUPP, "unknown message type 0x" + Long.toHexString(selector));
    }

    @Override
    protected int onUnknownQueue(int queue, DescriptorChain chain) {
        return refuse(chain, 0, EINVAL, "a buffer on queue " + queue);
    }

    /** The counters the spec names (INVALID among them); ids 0xF0-0xFE are other implementations'. */
    private static boolean knownCounter(int counter) {
        return counter == VirtioRtcCounter.VIRTIO_RTC_COUNTER_ARM_VCT || counter == VirtioRtcCounter.VIRTIO_RTC_COUNTER_X86_TSC
                || counter == VirtioRtcCounter.VIRTIO_RTC_COUNTER_INVALID;
    }

    /** Zeroes a response's bytes before its fields are set: the reserved ones stay zero, as the spec asks. */
    private static void answer(DescriptorChain chain, int respSize) {
        chain.copyToWritable(0, new byte[respSize], 0, respSize);
    }

    /** A request or response that does not fit its part of the chain: EINVAL. */
    private int misfit(DescriptorChain chain, String what, int requestSize, int responseSize) {
        return refuse(chain, responseSize, EINVAL, what + " with " + chain.readableBytes() + " readable bytes (needs "
                + requestSize + ") and " + chain.writableBytes() + " writable (needs " + responseSize + ")");
    }

    /**
     * Answers with {@code status} and zeros in the rest of the response (the spec has reserved
     * bytes written as zero and other fields are undefined on an error), as far as the writable
     * part holds it; with no room for even the status byte nothing is written, as the spec asks.
     * A buffer that is no request ({@code respSize} 0) is completed with nothing written.
     * Returns the used length.
     */
    private int refuse(DescriptorChain chain, int respSize, int status, String what) {
        refusals.incrementAndGet();
        lastRefusal = what + ": status " + status;
        LOG.log(Level.DEBUG, "rtc: refused {0}", lastRefusal);
        int room = (int) Math.min(chain.writableBytes(), respSize);
        if (room < 1) {
            return 0;
        }
        chain.copyToWritable(0, new byte[room], 0, room);
        chain.writeByte(0, (byte) status);
        return room;
    }
}
