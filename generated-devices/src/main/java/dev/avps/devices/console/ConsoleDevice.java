package dev.avps.devices.console;

import dev.avps.generated.console.ConsoleConstants;
import dev.avps.generated.console.ConsoleDeviceBase;
import dev.avps.generated.console.ConsoleFeatures;
import dev.avps.generated.console.ControlCommandRequest;
import dev.avps.generated.console.ControlEventRequest;
import dev.avps.generated.console.InputRequest;
import dev.avps.generated.console.OutputRequest;
import dev.avps.generated.console.VirtioConsoleControl;
import dev.avps.generated.console.VirtioConsoleEvent;
import dev.avps.generated.console.VirtioConsoleResize;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * virtio-console (device ID 3): byte streams between the host and the guest's ports. Port 0 is
 * always the console (the guest's hvc0). Given port names, the device offers MULTIPORT and adds
 * one named port per name (ports 1..n, the guest's /dev/vportNpM with the name in sysfs),
 * announced over the control queues once the driver says it is ready.
 *
 * <p>The device always offers SIZE and EMERG_WRITE. {@link #resize} tells the guest the console's
 * size: through the config space and a config change without MULTIPORT, with a RESIZE control
 * message for port 0 with it (Linux reads the config only without MULTIPORT). A driver's write to
 * {@code emerg_wr} reaches the {@link OutputSink} as port 0 output, whether or not it negotiated
 * EMERG_WRITE (the chapter lets it write before negotiating). {@link #removePort} and
 * {@link #addPort} unplug and plug a named port while the driver runs (PORT_REMOVE, PORT_ADD).
 *
 * <p>The host hands bytes to a port with {@link #send}; they wait (bounded) until the driver
 * posts receive buffers, which are parked ({@code DEFER}) while nothing is pending. What the
 * guest writes goes to the {@link OutputSink}. A control message the device cannot act on (an
 * unknown or device-only event, a short message, a port that does not exist) is refused: logged,
 * counted in {@link #refusals()}, and its buffer completed, never thrown out of a handler.
 */
public final class ConsoleDevice extends ConsoleDeviceBase {

    private static final System.Logger LOG = System.getLogger(ConsoleDevice.class.getName());

    /** Bytes kept per port for a guest that is not reading yet. */
    public static final int MAX_PENDING_BYTES = 1 << 20;

    /** Longest port name: the whole control message must fit one small receive buffer. */
    public static final int MAX_NAME_BYTES = 255;

    /**
     * Receives what the guest writes: on the port's transmit queue's worker thread, or for an
     * emergency write on the thread that applies config writes (the transport's session thread).
     */
    @FunctionalInterface
    public interface OutputSink {
        void output(int port, byte[] data);
    }

    /**
     * Told when the guest opens or closes a port (PORT_OPEN), on the control queue's thread. A
     * generic port's driver drops bytes that arrive while no guest program has it open, so a host
     * that must not lose its first words waits for this before {@link #send}.
     */
    @FunctionalInterface
    public interface OpenListener {
        void opened(int port, boolean open);
    }

    private final Port[] ports;
    private volatile OpenListener openListener = (p, o) -> { };
    private final ConcurrentLinkedQueue<byte[]> control = new ConcurrentLinkedQueue<>();
    private volatile Runnable controlWakeup;
    private volatile OutputSink sink = (p, d) -> { };
    private final AtomicLong refusals = new AtomicLong();
    private volatile String lastRefusal = "";
    private volatile Runnable configNotifier = () -> { };

    /** A console with port 0 only (no MULTIPORT, no control queues). */
    public ConsoleDevice() {
        this(List.of());
    }

    /**
     * A console with port 0 and, when {@code portNames} is not empty, MULTIPORT with one named
     * port per name (port i + 1 is called {@code portNames.get(i)}).
     */
    public ConsoleDevice(List<String> portNames) {
        super(ConsoleFeatures.SIZE | ConsoleFeatures.EMERG_WRITE | (portNames.isEmpty() ? 0 : ConsoleFeatures.MULTIPORT));
        ports = new Port[1 + portNames.size()];
        ports[0] = new Port(null);
        for (int i = 0; i < portNames.size(); i++) {
            byte[] name = portNames.get(i).getBytes(StandardCharsets.UTF_8);
            if (name.length == 0 || name.length > MAX_NAME_BYTES || portNames.get(i).indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a port name has 1 to " + MAX_NAME_BYTES
                        + " bytes and no NUL: '" + portNames.get(i) + "'");
            }
            ports[i + 1] = new Port(name);
        }
        if (!portNames.isEmpty()) {
            config().maxNrPorts(ports.length);
        }
    }

    /** The device features a front end must be told of, by their spec names (e.g. for {@code avps qemu-args}). */
    public List<String> offeredFeatureNames() {
        List<String> names = new ArrayList<>();
        for (int bit : offeredFeatures().bits()) {
            if ((ConsoleFeatures.DEVICE_SET.has(bit))) {
                names.add(ConsoleFeatures.name(bit));
            }
        }
        return names;
    }

    /** Ports, the console included. */
    public int portCount() {
        return ports.length;
    }

    /** Where the guest's bytes go. */
    public void onOutput(OutputSink s) {
        this.sink = s == null ? (p, d) -> { } : s;
    }

    /** Who hears of the guest opening and closing ports. */
    public void onOpen(OpenListener l) {
        this.openListener = l == null ? (p, o) -> { } : l;
    }

    /**
     * Queues {@code data} for the guest on {@code port}; returns false when the port does not
     * exist or already holds {@link #MAX_PENDING_BYTES} the guest has not read. Any thread may call this.
     */
    public boolean send(int port, byte[] data) {
        if (port < 0 || port >= ports.length || ports[port].removed) {
            return false;
        }
        Port p = ports[port];
        if (data.length == 0) {
            return true;
        }
        if (p.pendingBytes.addAndGet(data.length) > MAX_PENDING_BYTES) {
            p.pendingBytes.addAndGet(-data.length);
            return false;
        }
        p.pending.add(data.clone());
        Runnable w = p.wakeup;
        if (w != null) {
            w.run();
        }
        return true;
    }

    /** Bytes waiting for the guest on {@code port}. */
    public long pendingBytes(int port) {
        return ports[port].pendingBytes.get();
    }

    /** Whether the guest has the port open, as its driver last said (PORT_OPEN). */
    public boolean guestOpen(int port) {
        return ports[port].guestOpen;
    }

    /** Whether the driver reported the port ready (PORT_READY with value 1). */
    public boolean ready(int port) {
        return ports[port].ready;
    }

    /** Control messages refused so far. */
    public long refusals() {
        return refusals.get();
    }

    /** Why the last control message was refused ("" when none was). */
    public String lastRefusal() {
        return lastRefusal;
    }

    @Override
    public void onConfigChange(Runnable notifier) {
        configNotifier = notifier == null ? () -> { } : notifier;
    }

    /**
     * Sets the console's size (port 0's terminal) to {@code cols} x {@code rows}: the config
     * fields change and the driver is told, with a config change and, when it runs MULTIPORT and
     * has port 0 as its console, a RESIZE message (sent once port 0 is ready if it is not yet).
     */
    public void resize(int cols, int rows) {
        if (cols < 0 || cols > 0xffff || rows < 0 || rows > 0xffff) {
            throw new IllegalArgumentException("cols and rows are le16 fields, not " + cols + "x" + rows);
        }
        synchronized (config) {
            config().cols(cols).rows(rows);
        }
        if (deviceReady && ports[0].ready) {
            queueResize();
        }
        configNotifier.run();
    }

    /**
     * Unplugs named port {@code port} (1 and up): the driver is sent PORT_REMOVE if it had the port,
     * the host's bytes still waiting for it are dropped, and {@link #send} to it fails until
     * {@link #addPort}. Returns false when there is no such named port or it is already removed.
     */
    public boolean removePort(int port) {
        if (port < 1 || port >= ports.length || ports[port].removed) {
            return false;
        }
        Port p = ports[port];
        p.removed = true;
        p.pending.clear();
        p.pendingBytes.set(0);
        if (p.added) {
            p.added = false;
            p.ready = false;
            p.guestOpen = false;
            queue(port, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_REMOVE, 0, null);
        }
        return true;
    }

    /** Plugs back a port {@link #removePort} unplugged: PORT_ADD, then the usual name and open. */
    public boolean addPort(int port) {
        if (port < 1 || port >= ports.length || !ports[port].removed) {
            return false;
        }
        ports[port].removed = false;
        if (deviceReady) {
            ports[port].added = true;
            queue(port, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_ADD, 0, null);
        }
        return true;
    }

    /** Whether named port {@code port} is plugged in (not removed). */
    public boolean present(int port) {
        return port >= 0 && port < ports.length && !ports[port].removed;
    }

    /** The driver said DEVICE_READY and no reset came since: control messages reach it. */
    private volatile boolean deviceReady;

    /** emerg_wr's offset in the config space (VIRTIO 1.4 5.3.4). */
    private static final int EMERG_WR = 8;

    /**
     * A write covering emerg_wr's low byte is output on port 0 whatever was negotiated: the
     * chapter lets a driver use it before negotiating, even on a device it never set up. Other
     * bytes go through the generated rules (only emerg_wr is driver-writable).
     */
    @Override
    public void writeConfig(int offset, byte[] src) {
        if (offset <= EMERG_WR && offset + src.length > EMERG_WR) {
            emergencyWrites.incrementAndGet();
            sink.output(0, new byte[] {src[EMERG_WR - offset]});
            return;
        }
        super.writeConfig(offset, src);
    }

    private final AtomicLong emergencyWrites = new AtomicLong();

    /** Bytes the driver wrote through emerg_wr. */
    public long emergencyWrites() {
        return emergencyWrites.get();
    }

    @Override
    public void readConfig(int offset, byte[] dst) {
        synchronized (config) {
            super.readConfig(offset, dst);
        }
    }

    private void queueResize() {
        byte[] size = new byte[VirtioConsoleResize.SIZE];
        synchronized (config) {
            new VirtioConsoleResize().wrap(size, 0, size.length).cols(config().cols()).rows(config().rows());
        }
        queue(0, VirtioConsoleEvent.VIRTIO_CONSOLE_RESIZE, 0, size);
    }

    @Override
    public void queueStarted(int queue, Runnable wakeup) {
        int family = queueFamily(queue);
        if (family == Q_CONTROL_RECEIVEQ) {
            controlWakeup = wakeup;
        } else if (family == Q_RECEIVEQ || family == Q_PORT_RECEIVEQ) {
            ports[port(queue, family)].wakeup = wakeup;
        }
    }

    @Override
    public void queueStopped(int queue) {
        int family = queueFamily(queue);
        if (family == Q_CONTROL_RECEIVEQ) {
            controlWakeup = null;
        } else if (family == Q_RECEIVEQ || family == Q_PORT_RECEIVEQ) {
            ports[port(queue, family)].wakeup = null;
        }
    }

    /** A reset forgets the driver's view of the ports; bytes the host queued stay for the next driver. */
    @Override
    public void reset() {
        super.reset();
        control.clear();
        deviceReady = false;
        for (Port p : ports) {
            p.ready = false;
            p.guestOpen = false;
            p.added = false;
        }
    }

    /** The port a receive or transmit queue belongs to: 0 for the first pair, else its place in the group + 1. */
    private int port(int queue, int family) {
        return switch (family) {
            case Q_RECEIVEQ, Q_TRANSMITQ -> 0;
            case Q_PORT_RECEIVEQ -> 1 + (queue - queueIndex(Q_PORT_RECEIVEQ, 0)) / 2;
            case Q_PORT_TRANSMITQ -> 1 + (queue - queueIndex(Q_PORT_TRANSMITQ, 0)) / 2;
            default -> throw new IllegalArgumentException("queue " + queue + " carries no port's data");
        };
    }

    private final InputRequest portInput = new InputRequest();
    private final OutputRequest portOutput = new OutputRequest();

    @Override
    protected int onInput(InputRequest request) {
        return fill(ports[0], request);
    }

    @Override
    protected int onOutput(OutputRequest request) {
        return drain(0, request);
    }

    /**
     * The model's input and output requests name the first pair's queues; the group's pairs carry
     * the same formats, so their chains are read through the same views here.
     */
    @Override
    protected int onUnknownQueue(int queue, DescriptorChain chain) {
        int family = queueFamily(queue);
        if (family == Q_PORT_RECEIVEQ) {
            return fill(ports[port(queue, family)], portInput.wrap(queue, chain));
        }
        if (family == Q_PORT_TRANSMITQ) {
            return drain(port(queue, family), portOutput.wrap(queue, chain));
        }
        LOG.log(Level.WARNING, "console: a buffer on queue {0}, which no port or control channel uses", queue);
        return 0;
    }

    /** Copies pending bytes into a receive buffer, or parks it until {@link #send} has some. */
    private int fill(Port p, InputRequest request) {
        int room = request.writableBytes();
        if (room == 0) {
            return 0; // nothing fits: hand it back rather than hold it forever
        }
        long at = request.writable().dataOffset();
        int used = 0;
        while (used < room) {
            byte[] head = p.pending.peek();
            if (head == null) {
                break;
            }
            int n = Math.min(room - used, head.length - p.headOffset);
            request.chain().copyToWritable(at + used, head, p.headOffset, n);
            used += n;
            p.headOffset += n;
            if (p.headOffset == head.length) {
                p.pending.poll();
                p.headOffset = 0;
            }
        }
        if (used == 0) {
            return DEFER; // the buffer is the guest's mailbox until the host has something to say
        }
        p.pendingBytes.addAndGet(-used);
        return used;
    }

    private int drain(int port, OutputRequest request) {
        int n = (int) Math.min(request.readable().dataBytes(), Integer.MAX_VALUE - 8);
        if (n > 0) {
            byte[] data = new byte[n];
            int got = request.chain().copyFromReadable(request.readable().dataOffset(), data, 0, n);
            sink.output(port, got == n ? data : java.util.Arrays.copyOf(data, got));
        }
        return 0;
    }

    private final VirtioConsoleControl outgoing = new VirtioConsoleControl();

    @Override
    protected int onControlEvent(ControlEventRequest request) throws VirtqueueException {
        byte[] msg = control.peek();
        if (msg == null) {
            return DEFER;
        }
        if (request.writableBytes() < msg.length) {
            // Linux posts page-sized buffers; a smaller one would cut the message, so the message
            // waits for a buffer that holds it and this one goes back empty.
            LOG.log(Level.WARNING, "console: a {0}-byte control buffer cannot hold a {1}-byte message",
                    request.writableBytes(), msg.length);
            return 0;
        }
        control.poll();
        request.chain().copyToWritable(request.writable().controlOffset(), msg, 0, msg.length);
        return msg.length;
    }

    @Override
    protected int onControlCommand(ControlCommandRequest request) {
        if (!request.wellFormed()) {
            return refuse("a control message of " + request.chain().readableBytes() + " bytes (a whole one has "
                    + VirtioConsoleControl.SIZE + ")");
        }
        VirtioConsoleControl c = request.readable().control();
        long id = c.id();
        int event = c.event();
        int value = c.value();
        if (event == VirtioConsoleEvent.VIRTIO_CONSOLE_DEVICE_READY) {
            if (value != 1) {
                return refuse("the driver reports it could not set up (DEVICE_READY " + value + ")");
            }
            deviceReady = true;
            for (int i = 0; i < ports.length; i++) {
                if (!ports[i].removed) {
                    ports[i].added = true;
                    queue(i, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_ADD, 0, null);
                }
            }
            return 0;
        }
        if (event != VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_READY && event != VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_OPEN) {
            return refuse("event " + event + " is not one a driver sends (DEVICE_READY, PORT_READY, PORT_OPEN)");
        }
        if (id == ConsoleConstants.VIRTIO_CONSOLE_BAD_ID || id >= ports.length) {
            return refuse("event " + event + " for port " + id + ", which does not exist (" + ports.length + " ports)");
        }
        Port p = ports[(int) id];
        if (!p.added) {
            return refuse("event " + event + " for port " + id + ", which the device has not added (or removed)");
        }
        if (event == VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_OPEN) {
            p.guestOpen = value != 0;
            openListener.opened((int) id, p.guestOpen);
            return 0;
        }
        if (value != 1) {
            p.ready = false;
            return refuse("the driver could not add port " + id + " (PORT_READY " + value + ")");
        }
        p.ready = true;
        if (id == 0) {
            queue(0, VirtioConsoleEvent.VIRTIO_CONSOLE_CONSOLE_PORT, 1, null);
            synchronized (config) {
                if (config().cols() != 0 || config().rows() != 0) {
                    queueResize(); // a size the host set before the console existed
                }
            }
        }
        if (p.name != null) {
            queue((int) id, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_NAME, 1, p.name);
        }
        // The host end is always there to read (the sink) and write (send): say it is connected,
        // or the guest's writes to a generic port block and its reads see end of file.
        queue((int) id, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_OPEN, 1, null);
        return 0;
    }

    /** Queues a control message for the driver; a port name rides after the 8-byte header. */
    private void queue(int id, int event, int value, byte[] extra) {
        int n = extra == null ? 0 : extra.length;
        byte[] msg = new byte[VirtioConsoleControl.SIZE + n];
        synchronized (outgoing) {
            outgoing.wrap(msg, 0, VirtioConsoleControl.SIZE).id(id).event(event).value(value);
        }
        if (n > 0) {
            System.arraycopy(extra, 0, msg, VirtioConsoleControl.SIZE, n);
        }
        control.add(msg);
        Runnable w = controlWakeup;
        if (w != null) {
            w.run();
        }
    }

    private int refuse(String why) {
        refusals.incrementAndGet();
        lastRefusal = why;
        LOG.log(Level.WARNING, "console: refused control message: {0}", why);
        return 0;
    }

    /** One port's state; the host's bytes wait in {@code pending}, the first partly consumed. */
    private static final class Port {
        final byte[] name;
        final ConcurrentLinkedQueue<byte[]> pending = new ConcurrentLinkedQueue<>();
        final AtomicLong pendingBytes = new AtomicLong();
        /** How much of the head of {@code pending} the guest already has (receive-queue thread only). */
        int headOffset;
        volatile Runnable wakeup;
        volatile boolean ready;
        volatile boolean guestOpen;
        /** The driver was sent PORT_ADD and no PORT_REMOVE or reset since. */
        volatile boolean added;
        /** The host unplugged it ({@link #removePort}); DEVICE_READY does not announce it. */
        volatile boolean removed;

        Port(byte[] name) {
            this.name = name;
        }
    }
}
