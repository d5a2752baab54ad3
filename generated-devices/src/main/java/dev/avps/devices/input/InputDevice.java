package dev.avps.devices.input;

import static dev.avps.devices.input.EvdevCodes.EV_ABS;
import static dev.avps.devices.input.EvdevCodes.EV_KEY;
import static dev.avps.devices.input.EvdevCodes.EV_SYN;
import static dev.avps.devices.input.EvdevCodes.SYN_REPORT;

import dev.avps.generated.input.EventRequest;
import dev.avps.generated.input.InputDeviceBase;
import dev.avps.generated.input.StatusRequest;
import dev.avps.generated.input.VirtioInputAbsinfo;
import dev.avps.generated.input.VirtioInputConfig;
import dev.avps.generated.input.VirtioInputConfigSelect;
import dev.avps.generated.input.VirtioInputDevids;
import dev.avps.generated.input.VirtioInputEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * virtio-input (device ID 18): a keyboard, mouse or tablet whose events the host injects with
 * {@link #send}. The generated {@link InputDeviceBase} dispatches the two queues and owns the
 * configuration bytes; this class answers the select/subsel queries, hands queued events to the
 * driver's event buffers and reports what the driver sends back (LEDs) to a listener.
 *
 * <p>Events wait in a bounded queue until the driver gives buffers. They enter it a whole update at
 * a time (the events up to and including EV_SYN/SYN_REPORT): an update that does not fit is
 * dropped whole and counted, never cut, since a driver that gets part of an update acts on a state
 * the device never had (VIRTIO 1.4 5.8.6.2). So a stuck guest cannot exhaust the host either.
 */
public final class InputDevice extends InputDeviceBase {

    /** Events kept for a driver that has not posted buffers yet, unless the builder says otherwise. */
    public static final int MAX_PENDING = 4096;

    /** What the driver sends on the status queue (LED and sound state changes). */
    @FunctionalInterface
    public interface StatusListener {
        void status(int type, int code, int value);
    }

    private final byte[] name;
    private final byte[] serial;
    private final int[] devids;
    private final BitSet properties;
    private final Map<Integer, BitSet> events;
    private final Map<Integer, long[]> axes;

    private final int maxPending;
    private final ConcurrentLinkedQueue<Long> pending = new ConcurrentLinkedQueue<>();
    /** The update being built (events since the last SYN_REPORT); guarded by itself. */
    private final List<Long> update = new ArrayList<>();
    /** The update being built outgrew {@link #maxPending}: the rest of it is dropped too. */
    private boolean updateLost;
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private volatile Runnable eventWakeup;
    private volatile StatusListener listener = (t, c, v) -> { };

    private final VirtioInputDevids devidsView = new VirtioInputDevids();
    private final VirtioInputAbsinfo absView = new VirtioInputAbsinfo();
    private final VirtioInputEvent statusView = new VirtioInputEvent();

    private InputDevice(Builder b) {
        super(0);
        this.name = b.name.getBytes(StandardCharsets.UTF_8);
        this.serial = b.serial.getBytes(StandardCharsets.UTF_8);
        this.devids = b.devids.clone();
        this.properties = (BitSet) b.properties.clone();
        this.events = new TreeMap<>();
        b.events.forEach((type, codes) -> events.put(type, (BitSet) codes.clone()));
        this.axes = new TreeMap<>(b.axes);
        this.maxPending = b.maxPending;
        answer();
    }

    /** Starts describing a device; {@code name} is what the guest shows as the input device's name. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A keyboard with the standard key range and the three lock LEDs. */
    public static InputDevice keyboard(String name) {
        Builder b = builder(name);
        for (int k = EvdevCodes.KEY_ESC; k <= EvdevCodes.KEY_MICMUTE; k++) {
            b.key(k);
        }
        return b.led(EvdevCodes.LED_NUML).led(EvdevCodes.LED_CAPSL).led(EvdevCodes.LED_SCROLLL).build();
    }

    /** Receives what the driver writes to the status queue, on the queue's worker thread. */
    public void onStatus(StatusListener l) {
        this.listener = l == null ? (t, c, v) -> { } : l;
    }

    /**
     * Adds one event to the update being built; EV_SYN/SYN_REPORT ends the update and queues it
     * for the driver whole, or drops it whole (counting its events) when it does not fit beside
     * the events already waiting. Returns false when the event is (or, for the report, its update
     * was) dropped. Updates come from one source at a time: calls from several threads must not
     * interleave within an update.
     */
    public boolean send(int type, int code, int value) {
        long e = ((long) (type & 0xffff) << 48) | ((long) (code & 0xffff) << 32) | (value & 0xffffffffL);
        boolean report = type == EV_SYN && code == SYN_REPORT;
        synchronized (update) {
            if (!updateLost) {
                update.add(e);
                if (update.size() > maxPending) {
                    // An update longer than the whole queue can never be delivered: drop it from here on.
                    dropped.addAndGet(update.size());
                    update.clear();
                    updateLost = true;
                }
            } else {
                dropped.incrementAndGet();
            }
            if (!report) {
                return !updateLost;
            }
            if (updateLost) {
                updateLost = false;
                return false;
            }
            int n = update.size();
            if (pendingCount.get() + n > maxPending) {
                dropped.addAndGet(n);
                update.clear();
                return false;
            }
            pending.addAll(update);
            pendingCount.addAndGet(n);
            update.clear();
        }
        Runnable w = eventWakeup;
        if (w != null) {
            w.run();
        }
        return true;
    }

    /** A key press or release followed by the report that makes the guest act on it. */
    public boolean key(int code, boolean down) {
        return send(EV_KEY, code, down ? 1 : 0) && send(EV_SYN, SYN_REPORT, 0);
    }

    /** Events dropped (with the rest of their update) because the driver was not taking them. */
    public long dropped() {
        return dropped.get();
    }

    /** Events of whole updates waiting for driver buffers. */
    public int pending() {
        return pendingCount.get();
    }

    @Override
    public void queueStarted(int queue, Runnable wakeup) {
        if (queue == Q_EVENTQ) {
            eventWakeup = wakeup;
        }
    }

    @Override
    public void queueStopped(int queue) {
        if (queue == Q_EVENTQ) {
            eventWakeup = null;
        }
    }

    @Override
    protected int onEvent(EventRequest request) {
        if (request.writableBytes() < VirtioInputEvent.SIZE) {
            return 0; // too small to hold an event: give it back empty rather than hold it forever
        }
        Long e = pending.poll();
        if (e == null) {
            // Kept until send() wakes the queue: the buffer is the driver's mailbox.
            return DEFER;
        }
        pendingCount.decrementAndGet();
        long v = e;
        request.writable().event().type((int) (v >>> 48)).code((int) (v >>> 32) & 0xffff).value(v & 0xffffffffL);
        return VirtioInputEvent.SIZE;
    }

    @Override
    protected int onStatus(StatusRequest request) {
        if (!request.wellFormed()) {
            return 0;
        }
        VirtioInputEvent ev = request.readable().event();
        listener.status(ev.type(), ev.code(), (int) ev.value());
        return 0;
    }

    /** A reset forgets the driver's last query: select and subsel read 0 again, as at start. */
    @Override
    public void reset() {
        super.reset();
        config().select(0).subsel(0);
        answer();
    }

    /**
     * The driver wrote select/subsel (the generated base drops whatever else a frontend's write
     * covers): put the answer for the new query into size and u.
     */
    @Override
    protected void configWritten(int offset, int length) {
        answer();
    }

    private void answer() {
        VirtioInputConfig c = config();
        byte[] cfg = c.bytes();
        int u = (int) c.uOffset();
        Arrays.fill(cfg, u, u + (int) c.uBytes(), (byte) 0);
        int size = switch (c.select()) {
            case VirtioInputConfigSelect.VIRTIO_INPUT_CFG_ID_NAME -> string(cfg, u, name, c.subsel());
            case VirtioInputConfigSelect.VIRTIO_INPUT_CFG_ID_SERIAL -> string(cfg, u, serial, c.subsel());
            case VirtioInputConfigSelect.VIRTIO_INPUT_CFG_ID_DEVIDS -> {
                if (c.subsel() != 0) {
                    yield 0;
                }
                devidsView.wrap(cfg, u, VirtioInputDevids.SIZE).bustype(devids[0]).vendor(devids[1])
                        .product(devids[2]).version(devids[3]);
                yield VirtioInputDevids.SIZE;
            }
            case VirtioInputConfigSelect.VIRTIO_INPUT_CFG_PROP_BITS ->
                    c.subsel() == 0 ? bitmap(cfg, u, properties, (int) c.uBytes()) : 0;
            case VirtioInputConfigSelect.VIRTIO_INPUT_CFG_EV_BITS -> {
                BitSet codes = events.get(c.subsel());
                yield codes == null ? 0 : bitmap(cfg, u, codes, (int) c.uBytes());
            }
            case VirtioInputConfigSelect.VIRTIO_INPUT_CFG_ABS_INFO -> {
                long[] a = axes.get(c.subsel());
                if (a == null) {
                    yield 0;
                }
                absView.wrap(cfg, u, VirtioInputAbsinfo.SIZE).min(a[0]).max(a[1]).fuzz(a[2]).flat(a[3]).res(a[4]);
                yield VirtioInputAbsinfo.SIZE;
            }
            default -> 0;
        };
        c.size_(size);
    }

    private static int string(byte[] cfg, int at, byte[] s, int subsel) {
        if (subsel != 0) {
            return 0;
        }
        int n = Math.min(s.length, 128);
        System.arraycopy(s, 0, cfg, at, n);
        return n;
    }

    /** The bitmap's bytes up to the last non-zero one (so an empty set answers size 0). */
    private static int bitmap(byte[] cfg, int at, BitSet bits, int max) {
        byte[] b = bits.toByteArray();
        int n = Math.min(b.length, max);
        System.arraycopy(b, 0, cfg, at, n);
        return n;
    }

    /** Describes the device's identity and capabilities; codes are evdev numbers ({@link EvdevCodes}). */
    public static final class Builder {
        private final String name;
        private String serial = "avps-input-0";
        private final int[] devids = {EvdevCodes.BUS_VIRTUAL, 0x1af4, 0x0100, 0x0001};
        private final BitSet properties = new BitSet();
        private final Map<Integer, BitSet> events = new TreeMap<>();
        private final Map<Integer, long[]> axes = new TreeMap<>();
        private int maxPending = MAX_PENDING;

        private Builder(String name) {
            if (name.getBytes(StandardCharsets.UTF_8).length > 128) {
                throw new IllegalArgumentException("an input device name has at most 128 bytes: " + name);
            }
            this.name = name;
        }

        public Builder serial(String s) {
            if (s.getBytes(StandardCharsets.UTF_8).length > 128) {
                throw new IllegalArgumentException("a serial has at most 128 bytes: " + s);
            }
            this.serial = s;
            return this;
        }

        public Builder ids(int bustype, int vendor, int product, int version) {
            devids[0] = bustype;
            devids[1] = vendor;
            devids[2] = product;
            devids[3] = version;
            return this;
        }

        public Builder property(int prop) {
            properties.set(check(prop));
            return this;
        }

        /** Declares that the device reports {@code code} for event type {@code type}. */
        public Builder event(int type, int code) {
            events.computeIfAbsent(type, t -> new BitSet()).set(check(code));
            return this;
        }

        public Builder key(int code) {
            return event(EV_KEY, code);
        }

        public Builder led(int code) {
            return event(EvdevCodes.EV_LED, code);
        }

        public Builder rel(int code) {
            return event(EvdevCodes.EV_REL, code);
        }

        /** An absolute axis with its range, noise filter, dead zone and resolution. */
        public Builder abs(int axis, int min, int max, int fuzz, int flat, int res) {
            if (min > max) {
                throw new IllegalArgumentException("axis " + axis + ": min " + min + " > max " + max);
            }
            event(EV_ABS, axis);
            axes.put(axis, new long[] {min & 0xffffffffL, max & 0xffffffffL, fuzz & 0xffffffffL,
                    flat & 0xffffffffL, res & 0xffffffffL});
            return this;
        }

        private static int check(int code) {
            // The answer window holds 128 bytes of bitmap: codes 0..1023.
            if (code < 0 || code >= 128 * 8) {
                throw new IllegalArgumentException("code " + code + " does not fit the 1024-bit bitmap");
            }
            return code;
        }

        /** How many events may wait for a driver's buffers (at least one update's worth). */
        public Builder maxPending(int events) {
            if (events < 2) {
                throw new IllegalArgumentException("at least an event and its report must fit: " + events);
            }
            this.maxPending = events;
            return this;
        }

        public InputDevice build() {
            if (events.isEmpty()) {
                throw new IllegalStateException("an input device must report at least one event type");
            }
            return new InputDevice(this);
        }
    }
}
