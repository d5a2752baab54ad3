package dev.avps.conform.checks;

import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Inbox;
import dev.avps.conform.Session;
import dev.avps.conform.model.Layouts;
import dev.avps.model.FieldLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver's side of the console's control queues (VIRTIO 1.4 5.3.6.2): DEVICE_READY, then
 * PORT_READY for every port the device adds, reading control messages until the device has been
 * quiet for the target's request timeout. What the device sent is kept for the checks to judge.
 */
final class ConsoleControl {
    /** Bytes of a control message header (struct virtio_console_control). */
    static final int HEADER = 8;
    /** Linux posts page-sized control buffers; a port name fits with room to spare. */
    static final int BUFFER = 4096;
    static final int BUFFERS = 16;
    /** More messages than any honest device sends at start-up; a device that keeps talking is cut off here. */
    static final int MAX_MESSAGES = 512;

    /** One control message from the device, with what followed its header (a port name). */
    record Message(long id, int event, int value, byte[] extra) {
        @Override
        public String toString() {
            return "(port " + id + ", event " + event + ", value " + value + (extra.length > 0 ? ", " + extra.length
                    + " more bytes" : "") + ")";
        }
    }

    final long maxNrPorts;
    final List<Message> messages = new ArrayList<>();
    final long addEvent;
    final long removeEvent;

    private ConsoleControl(long maxNrPorts, long addEvent, long removeEvent) {
        this.maxNrPorts = maxNrPorts;
        this.addEvent = addEvent;
        this.removeEvent = removeEvent;
    }

    /**
     * Runs the handshake on {@code s} (MULTIPORT negotiated). {@code readyValue} is the PORT_READY
     * value the driver answers each added port with: 1 (the port is set up) or 0 (it could not be).
     */
    static ConsoleControl handshake(CheckContext ctx, Session s, int readyValue) throws Exception {
        if (!ctx.offers("MULTIPORT")) {
            throw Inapplicable.skip("the backend does not offer MULTIPORT: no control queues, no port messages");
        }
        if (!s.hasConfig()) {
            throw Inapplicable.notCheckable("the backend does not offer the CONFIG protocol feature: max_nr_ports is unknown");
        }
        FieldLayout f = ctx.device().config().fields().stream().filter(x -> x.name().equals("max_nr_ports")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the catalog's console has no max_nr_ports"));
        byte[] cfg = s.config(f.offset() + f.size());
        long max = Integer.toUnsignedLong(ByteBuffer.wrap(cfg, f.offset(), 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        long ready = Literals.value(ctx.device(), "virtio_console_event", "VIRTIO_CONSOLE_DEVICE_READY");
        long portReady = Literals.value(ctx.device(), "virtio_console_event", "VIRTIO_CONSOLE_PORT_READY");
        ConsoleControl c = new ConsoleControl(max,
                Literals.value(ctx.device(), "virtio_console_event", "VIRTIO_CONSOLE_PORT_ADD"),
                Literals.value(ctx.device(), "virtio_console_event", "VIRTIO_CONSOLE_PORT_REMOVE"));
        int rx = Layouts.queueIndex(ctx.device(), "control_receiveq");
        int tx = Layouts.queueIndex(ctx.device(), "control_transmitq");
        Inbox in = s.inbox(rx, BUFFER).post(BUFFERS);
        send(s, tx, 0, ready, 1);
        while (c.messages.size() < MAX_MESSAGES) {
            byte[] b = in.next(s.requestMillis());
            if (b == null) {
                break;
            }
            CheckFailure.require(b.length >= HEADER, "a control message of " + b.length + " bytes (a header has " + HEADER + ")");
            ByteBuffer m = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            Message msg = new Message(Integer.toUnsignedLong(m.getInt(0)), m.getShort(4) & 0xffff, m.getShort(6) & 0xffff,
                    java.util.Arrays.copyOfRange(b, HEADER, b.length));
            c.messages.add(msg);
            if (msg.event() == c.addEvent) {
                send(s, tx, msg.id(), portReady, readyValue);
            }
        }
        return c;
    }

    private static void send(Session s, int tx, long id, long event, int value) throws Exception {
        byte[] m = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN).putInt((int) id).putShort((short) event)
                .putShort((short) value).array();
        s.exchange(tx).out(m).run();
    }

    /** Messages with the given event, in the order they came. */
    List<Message> events(long event) {
        return messages.stream().filter(m -> m.event() == event).toList();
    }
}
