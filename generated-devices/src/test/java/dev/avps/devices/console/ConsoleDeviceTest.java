package dev.avps.devices.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.LoopbackDriver;
import dev.avps.generated.console.VirtioConsoleEvent;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.runtime.memory.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The console backend's data paths, its control-queue handshake and its refusals, over real chains. */
class ConsoleDeviceTest {

    static final long BAD_ID = 0xffffffffL;

    final LoopbackDriver loop = new LoopbackDriver();
    final GuestMemory mem = loop.memory();
    final DriverQueue drv = loop.driver();
    final long buf = loop.data();
    final List<String> received = new ArrayList<>();
    /** The control receive queue gets its own ring, so a buffer parked there does not stand in the way of commands. */
    final LoopbackDriver ctl = new LoopbackDriver();
    final long ctlBuf = ctl.data();

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    String read(long at, int n) {
        byte[] b = new byte[n];
        mem.read(at, b, 0, n);
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** The driver sends one control message of {@code length} bytes (8 is a whole one). */
    int command(ConsoleDevice d, long id, int event, int value, int length) throws Exception {
        byte[] m = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) id).putShort((short) event)
                .putShort((short) value).array();
        mem.write(buf, m, 0, 8);
        drv.addOut(buf, length).submit(1);
        return loop.serve(d, ConsoleDevice.Q_CONTROL_TRANSMITQ);
    }

    /** The next control message the device sends, as "id event value [name]", read from a page-sized buffer. */
    String event(ConsoleDevice d) throws Exception {
        ctl.driver().addIn(ctlBuf, 4096).submit(1);
        return message(ctl.serve(d, ConsoleDevice.Q_CONTROL_RECEIVEQ));
    }

    String message(int used) {
        long at = ctlBuf;
        GuestMemory mem = ctl.memory();
        assertTrue(used >= 8, "a whole control message, got " + used + " bytes");
        ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        mem.read(at, h.array(), 0, 8);
        String s = (h.getInt(0) & 0xffffffffL) + " " + h.getShort(4) + " " + h.getShort(6);
        byte[] name = new byte[used - 8];
        mem.read(at + 8, name, 0, name.length);
        return used == 8 ? s : s + " " + new String(name, StandardCharsets.US_ASCII);
    }

    ConsoleDevice multiport() {
        ConsoleDevice d = new ConsoleDevice(List.of("org.avps.one", "org.avps.two"));
        d.featuresNegotiated(d.features());
        d.onOutput((port, data) -> received.add(port + ":" + new String(data, StandardCharsets.US_ASCII)));
        return d;
    }

    @Test
    void portZeroAloneCarriesBytesBothWays() throws Exception {
        ConsoleDevice d = new ConsoleDevice();
        assertEquals(List.of("SIZE", "EMERG_WRITE"), d.offeredFeatureNames());
        d.featuresNegotiated(d.features());
        assertEquals(2, d.queueCount(), "receiveq and transmitq only");
        d.onOutput((port, data) -> received.add(port + ":" + new String(data, StandardCharsets.US_ASCII)));
        AtomicInteger wakeups = new AtomicInteger();
        d.queueStarted(ConsoleDevice.Q_RECEIVEQ, wakeups::incrementAndGet);

        assertTrue(d.send(0, ascii("hello")));
        drv.addIn(buf, 3).submit(1);
        assertEquals(3, loop.serve(d, ConsoleDevice.Q_RECEIVEQ));
        assertEquals("hel", read(buf, 3));
        drv.addIn(buf + 16, 64).submit(1);
        assertEquals(2, loop.serve(d, ConsoleDevice.Q_RECEIVEQ), "the rest of the split message");
        assertEquals("lo", read(buf + 16, 2));
        assertEquals(0, d.pendingBytes(0));

        drv.addIn(buf + 128, 64).submit(1);
        assertEquals(VirtioDevice.DEFER, loop.offer(d, ConsoleDevice.Q_RECEIVEQ), "nothing to give: park the buffer");
        assertTrue(d.send(0, ascii("ab")));
        assertTrue(d.send(0, ascii("cd")));
        assertEquals(3, wakeups.get(), "every send wakes the receive queue");
        assertEquals(4, loop.offer(d, ConsoleDevice.Q_RECEIVEQ), "one buffer takes both messages");
        assertEquals("abcd", read(buf + 128, 4));

        mem.write(buf + 256, ascii("from guest"), 0, 10);
        drv.addOut(buf + 256, 10).submit(1);
        assertEquals(0, loop.serve(d, ConsoleDevice.Q_TRANSMITQ));
        assertEquals(List.of("0:from guest"), received);
    }

    @Test
    void multiportAnnouncesNamedPortsAndTheConsole() throws Exception {
        ConsoleDevice d = multiport();
        assertEquals(List.of("SIZE", "MULTIPORT", "EMERG_WRITE"), d.offeredFeatureNames());
        assertEquals(3, d.config().maxNrPorts());
        assertEquals(8, d.queueCount(), "two pairs for ports 1 and 2 after the four of port 0 and control");
        AtomicInteger wakeups = new AtomicInteger();
        d.queueStarted(ConsoleDevice.Q_CONTROL_RECEIVEQ, wakeups::incrementAndGet);

        ctl.driver().addIn(ctlBuf, 4096).submit(1);
        assertEquals(VirtioDevice.DEFER, ctl.offer(d, ConsoleDevice.Q_CONTROL_RECEIVEQ),
                "nothing is said before the driver is ready");
        assertEquals(0, command(d, BAD_ID, VirtioConsoleEvent.VIRTIO_CONSOLE_DEVICE_READY, 1, 8));
        assertTrue(wakeups.get() > 0, "the announcements wake the control receive queue");
        assertEquals("0 1 0", message(ctl.offer(d, ConsoleDevice.Q_CONTROL_RECEIVEQ)),
                "the parked buffer takes PORT_ADD for port 0");
        assertEquals("1 1 0", event(d));
        assertEquals("2 1 0", event(d));

        assertEquals(0, command(d, 0, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_READY, 1, 8));
        assertEquals("0 4 1", event(d), "port 0 becomes the console");
        assertEquals("0 6 1", event(d), "the host end of port 0 is open");
        assertEquals(0, command(d, 2, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_READY, 1, 8));
        assertEquals("2 7 1 org.avps.two", event(d), "the name follows the header");
        assertEquals("2 6 1", event(d));
        assertTrue(d.ready(2));
        assertFalse(d.ready(1));

        List<String> opened = new ArrayList<>();
        d.onOpen((port, open) -> opened.add(port + "=" + open));
        assertEquals(0, command(d, 2, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_OPEN, 1, 8));
        assertTrue(d.guestOpen(2));
        assertEquals(0, command(d, 2, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_OPEN, 0, 8));
        assertFalse(d.guestOpen(2));
        assertEquals(List.of("2=true", "2=false"), opened);
        assertEquals(0, d.refusals(), d.lastRefusal());
    }

    @Test
    void namedPortsUseTheirOwnQueuePairs() throws Exception {
        ConsoleDevice d = multiport();
        int rx2 = d.queueIndex(ConsoleDevice.Q_PORT_RECEIVEQ, 1);
        int tx2 = d.queueIndex(ConsoleDevice.Q_PORT_TRANSMITQ, 1);
        assertEquals(6, rx2);
        assertEquals(7, tx2);
        AtomicInteger wakeups = new AtomicInteger();
        d.queueStarted(rx2, wakeups::incrementAndGet);
        assertTrue(d.send(2, ascii("to two")));
        assertTrue(d.send(0, ascii("to console")));
        assertEquals(1, wakeups.get(), "only port 2's queue is woken for port 2's bytes");
        drv.addIn(buf, 64).submit(1);
        assertEquals(6, loop.serve(d, rx2));
        assertEquals("to two", read(buf, 6));
        assertEquals(10, d.pendingBytes(0), "port 0's bytes stay on port 0");

        mem.write(buf + 64, ascii("up"), 0, 2);
        drv.addOut(buf + 64, 2).submit(1);
        assertEquals(0, loop.serve(d, tx2));
        drv.addOut(buf + 64, 2).submit(1);
        assertEquals(0, loop.serve(d, d.queueIndex(ConsoleDevice.Q_PORT_TRANSMITQ, 0)));
        assertEquals(List.of("2:up", "1:up"), received);
    }

    @Test
    void hostileControlMessagesAreRefusedNotObeyed() throws Exception {
        ConsoleDevice d = multiport();
        assertEquals(0, command(d, BAD_ID, VirtioConsoleEvent.VIRTIO_CONSOLE_DEVICE_READY, 1, 4));
        assertEquals(1, d.refusals());
        assertTrue(d.lastRefusal().contains("4 bytes"), d.lastRefusal());
        assertEquals(0, command(d, 0, 99, 1, 8));
        assertTrue(d.lastRefusal().contains("event 99"), d.lastRefusal());
        assertEquals(0, command(d, 1, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_ADD, 1, 8), "a device-only event");
        assertEquals(0, command(d, 3, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_READY, 1, 8));
        assertTrue(d.lastRefusal().contains("port 3"), d.lastRefusal());
        assertEquals(0, command(d, BAD_ID, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_OPEN, 1, 8));
        assertEquals(0, command(d, 0x80000001L, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_OPEN, 1, 8));
        assertEquals(0, command(d, 1, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_READY, 0, 8), "the driver failed the port");
        assertEquals(0, command(d, BAD_ID, VirtioConsoleEvent.VIRTIO_CONSOLE_DEVICE_READY, 0, 8));
        assertEquals(8, d.refusals());
        assertFalse(d.guestOpen(1));
        assertFalse(d.ready(1));
        ctl.driver().addIn(ctlBuf, 4096).submit(1);
        assertEquals(VirtioDevice.DEFER, ctl.offer(d, ConsoleDevice.Q_CONTROL_RECEIVEQ),
                "no refused message made the device announce anything");
    }

    @Test
    void aControlBufferTooSmallForTheNameKeepsTheMessage() throws Exception {
        ConsoleDevice d = ready(multiport());
        command(d, 1, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_READY, 1, 8);
        ctl.driver().addIn(ctlBuf, 12).submit(1);
        assertEquals(0, ctl.serve(d, ConsoleDevice.Q_CONTROL_RECEIVEQ), "20 bytes do not fit 12");
        assertEquals("1 7 1 org.avps.one", event(d));
    }

    /** DEVICE_READY, and the three PORT_ADDs it brings taken off the control receive queue. */
    ConsoleDevice ready(ConsoleDevice d) throws Exception {
        assertEquals(0, command(d, BAD_ID, VirtioConsoleEvent.VIRTIO_CONSOLE_DEVICE_READY, 1, 8));
        for (int port = 0; port < d.portCount(); port++) {
            assertEquals(port + " 1 0", event(d));
        }
        return d;
    }

    @Test
    void withoutMultiportAResizeIsAConfigChange() {
        ConsoleDevice d = new ConsoleDevice();
        d.featuresNegotiated(d.features());
        AtomicInteger changes = new AtomicInteger();
        d.onConfigChange(changes::incrementAndGet);
        d.resize(132, 43);
        byte[] cfg = new byte[4];
        d.readConfig(0, cfg);
        ByteBuffer b = ByteBuffer.wrap(cfg).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(132, b.getShort(0), "cols first (VIRTIO 1.4 5.3.4)");
        assertEquals(43, b.getShort(2));
        assertEquals(1, changes.get(), "the driver is told the config changed");
        assertThrows(IllegalArgumentException.class, () -> d.resize(70000, 1));
        assertThrows(IllegalArgumentException.class, () -> d.resize(1, -1));
    }

    @Test
    void withMultiportTheConsolePortGetsAResizeMessage() throws Exception {
        ConsoleDevice d = multiport();
        d.resize(100, 30); // before the driver is ready: kept for the console port
        ready(d);
        assertEquals(0, command(d, 0, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_READY, 1, 8));
        assertEquals("0 4 1", event(d), "port 0 becomes the console");
        assertEquals(resize(100, 30), event(d), "then learns the size set before it existed");
        assertEquals("0 6 1", event(d));
        d.resize(120, 43);
        assertEquals(resize(120, 43), event(d), "a size set while it runs");
        assertEquals(0, d.refusals(), d.lastRefusal());
    }

    /**
     * How {@link #message} prints a RESIZE for port 0: the header, then le16 cols and le16 rows as
     * text bytes (values below 128, so each byte reads back as itself).
     */
    static String resize(int cols, int rows) {
        byte[] size = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) cols).putShort((short) rows)
                .array();
        return "0 5 0 " + new String(size, StandardCharsets.US_ASCII);
    }

    @Test
    void aRemovedPortIsUnpluggedAndCanComeBack() throws Exception {
        ConsoleDevice d = ready(multiport());
        assertEquals(0, command(d, 2, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_READY, 1, 8));
        assertEquals("2 7 1 org.avps.two", event(d));
        assertEquals("2 6 1", event(d));
        assertTrue(d.send(2, ascii("waiting")));

        assertTrue(d.removePort(2));
        assertEquals("2 2 0", event(d), "PORT_REMOVE for port 2");
        assertFalse(d.present(2));
        assertEquals(0, d.pendingBytes(2), "its waiting bytes are dropped");
        assertFalse(d.send(2, ascii("x")), "nothing can be sent to an unplugged port");
        assertFalse(d.removePort(2), "already removed");
        assertFalse(d.removePort(0), "the console stays");
        assertFalse(d.removePort(3), "no such port");
        assertEquals(0, command(d, 2, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_OPEN, 1, 8));
        assertEquals(1, d.refusals(), "a driver may not open a port it was told is gone");

        assertTrue(d.addPort(2));
        assertEquals("2 1 0", event(d), "PORT_ADD again");
        assertEquals(0, command(d, 2, VirtioConsoleEvent.VIRTIO_CONSOLE_PORT_READY, 1, 8));
        assertEquals("2 7 1 org.avps.two", event(d));
        assertEquals("2 6 1", event(d));
        assertTrue(d.send(2, ascii("back")));
        assertFalse(d.addPort(2), "it is plugged in");

        assertTrue(d.removePort(1));
        assertEquals("1 2 0", event(d));
        d.reset();
        d.featuresNegotiated(d.features());
        assertEquals(0, command(d, BAD_ID, VirtioConsoleEvent.VIRTIO_CONSOLE_DEVICE_READY, 1, 8));
        assertEquals("0 1 0", event(d));
        assertEquals("2 1 0", event(d), "after a reset the removed port 1 is not announced");
        ctl.driver().addIn(ctlBuf, 4096).submit(1);
        assertEquals(VirtioDevice.DEFER, ctl.offer(d, ConsoleDevice.Q_CONTROL_RECEIVEQ));
    }

    @Test
    void emergencyWritesReachPortZeroWhateverWasNegotiated() {
        ConsoleDevice d = new ConsoleDevice(List.of("org.avps.one"));
        d.onOutput((port, data) -> received.add(port + ":" + new String(data, StandardCharsets.US_ASCII)));
        d.writeConfig(8, new byte[] {'A', 0, 0, 0}); // nothing negotiated yet
        d.featuresNegotiated(d.features() & ~(1L << 2));
        d.writeConfig(8, new byte[] {'B', 'x', 'y', 'z'}); // EMERG_WRITE declined
        d.writeConfig(6, new byte[] {1, 2, 'C', 0, 0, 0}); // a write that spans max_nr_ports and emerg_wr
        assertEquals(List.of("0:A", "0:B", "0:C"), received, "the low byte of each write, on port 0");
        assertEquals(3, d.emergencyWrites());
        assertEquals(2, d.config().maxNrPorts(), "max_nr_ports is not the driver's to write");
    }

    @Test
    void withoutMultiportTheControlQueuesDoNotExist() throws Exception {
        ConsoleDevice d = new ConsoleDevice();
        d.featuresNegotiated(d.features());
        assertEquals(-1, d.queueFamily(2));
        drv.addOut(buf, 8).submit(1);
        assertEquals(0, loop.serve(d, 2), "a chain on a queue the device does not have is completed empty");
        assertFalse(d.send(1, ascii("x")), "no port 1");
    }

    @Test
    void aGuestThatReadsNothingCannotExhaustTheHost() {
        ConsoleDevice d = new ConsoleDevice();
        assertTrue(d.send(0, new byte[ConsoleDevice.MAX_PENDING_BYTES]));
        assertFalse(d.send(0, new byte[1]));
        assertEquals(ConsoleDevice.MAX_PENDING_BYTES, d.pendingBytes(0));
        assertFalse(d.send(-1, new byte[1]));
    }

    @Test
    void portNamesMustFitAControlMessage() {
        assertThrows(IllegalArgumentException.class, () -> new ConsoleDevice(List.of("")));
        assertThrows(IllegalArgumentException.class, () -> new ConsoleDevice(List.of("x".repeat(256))));
        assertThrows(IllegalArgumentException.class, () -> new ConsoleDevice(List.of("a\0b")));
        assertEquals(2, new ConsoleDevice(List.of("x".repeat(255))).portCount());
    }
}
