package dev.avps.conform.checks;

import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.vhostuser.driver.FrontEndException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A session on a gpio device with its configuration read, and the messages the gpio checks
 * send, built from the catalog's enum literals. Statuses are judged with the chapter's values
 * (the catalog's {@code virtio_gpio_status}), since the response's {@code u8 status} is untyped.
 */
final class GpioLines {
    static final int REQUESTQ = 0;
    static final int EVENTQ = 1;

    final CheckContext ctx;
    final Session s;
    final int ngpio;
    final long namesSize;
    final byte[] config;

    /** @param needLines skip when ngpio is 0 (every check but the config one needs a line) */
    GpioLines(CheckContext ctx, boolean needLines) throws Exception {
        this.ctx = ctx;
        this.s = ctx.open();
        if (!s.hasConfig()) {
            throw Inapplicable.notCheckable("no CONFIG protocol feature: ngpio is unknown");
        }
        config = s.config(8);
        ByteBuffer c = ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN);
        ngpio = c.getShort(0) & 0xffff;
        namesSize = c.getInt(4) & 0xffffffffL;
        if (needLines && ngpio == 0) {
            throw Inapplicable.skip("the device has no lines (ngpio = 0)");
        }
    }

    GpioLines(CheckContext ctx) throws Exception {
        this(ctx, true);
    }

    long literal(String enumName, String name) {
        return Literals.value(ctx.device(), enumName, name);
    }

    long direction(String name) {
        return literal("virtio_gpio_direction", "VIRTIO_GPIO_DIRECTION_" + name);
    }

    long trigger(String name) {
        return literal("virtio_gpio_irq_type", "VIRTIO_GPIO_IRQ_TYPE_" + name);
    }

    byte status(String name) {
        return (byte) literal("virtio_gpio_status", "VIRTIO_GPIO_STATUS_" + name);
    }

    byte irqStatus(String name) {
        return (byte) literal("virtio_gpio_irq_status", "VIRTIO_GPIO_IRQ_STATUS_" + name);
    }

    byte[] request(String type, int line, long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) literal("virtio_gpio_msg_type", "VIRTIO_GPIO_MSG_" + type))
                .putShort((short) line).putInt((int) value).array();
    }

    /** A line message not yet sent (for messages submitted together). */
    Exchange message(String type, int line, long value) throws FrontEndException {
        return s.exchange(REQUESTQ).out(request(type, line, value)).in(2);
    }

    /** A line message; returns {status, value}. */
    byte[] line(String type, int line, long value) throws Exception {
        return message(type, line, value).run().written();
    }

    void expect(byte[] resp, String status, String what) throws CheckFailure {
        CheckFailure.require(resp[0] == status(status), what + ": status " + (resp[0] & 0xff) + ", expected " + status);
    }

    /** Sends a message that must succeed and returns the response's value byte. */
    int ok(String type, int line, long value) throws Exception {
        byte[] r = line(type, line, value);
        expect(r, "OK", type + " line " + line + " (" + value + ")");
        return r[1] & 0xff;
    }

    /** An eventq buffer unmasking {@code line}'s interrupt. */
    Exchange irq(int line) throws FrontEndException {
        byte[] req = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) line).array();
        return s.exchange(EVENTQ).out(req).in(1);
    }

    /**
     * The names block from GET_NAMES with room for exactly gpio_names_size bytes, split into
     * ngpio names; fails unless it answers OK with exactly ngpio zero-terminated strings filling
     * the block.
     */
    List<String> names() throws Exception {
        if (namesSize == 0) {
            throw Inapplicable.skip("gpio_names_size is 0: the device gives no names");
        }
        if (namesSize > 1 << 16) {
            throw new CheckFailure("gpio_names_size " + namesSize + " is implausibly large");
        }
        Exchange.Result r = s.exchange(REQUESTQ).out(request("GET_NAMES", 0, 0)).in(1 + (int) namesSize).run();
        byte[] w = r.written();
        CheckFailure.require(w[0] == status("OK"), "GET_NAMES: status " + (w[0] & 0xff));
        List<String> out = new ArrayList<>();
        int start = 1;
        for (int i = 1; i < w.length; i++) {
            if (w[i] == 0) {
                out.add(new String(w, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        CheckFailure.require(start == w.length, "GET_NAMES: the last " + (w.length - start)
                + " byte(s) of the gpio_names_size block end without a zero byte");
        CheckFailure.require(out.size() == ngpio, "GET_NAMES: " + out.size() + " zero-terminated names in the "
                + namesSize + "-byte block for " + ngpio + " lines");
        return out;
    }
}
