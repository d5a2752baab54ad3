package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * virtio-gpio behaviour (VIRTIO 1.x 5.17), written by hand: one request at a time on requestq,
 * as the driver must. Message types and status values are the catalog's enum literals.
 */
public final class GpioChecks implements CheckFamily {

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("gpio");
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("gpio_get_names", "GET_NAMES with room for gpio_names_size bytes answers OK with ngpio NUL-terminated names.",
                        GpioChecks::names),
                new Check("gpio_value_round_trip", "A line set to output reads back the value last set (1, then 0).", GpioChecks::roundTrip),
                new Check("gpio_bad_line_err", "A request for line ngpio (one past the last) is answered with ERR.", GpioChecks::badLine));
    }

    private static final class Lines {
        final CheckContext ctx;
        final Session s;
        final int ngpio;
        final long namesSize;

        Lines(CheckContext ctx) throws Exception {
            this.ctx = ctx;
            this.s = ctx.open();
            if (!s.hasConfig()) {
                throw Inapplicable.notCheckable("no CONFIG protocol feature: ngpio is unknown");
            }
            ByteBuffer c = ByteBuffer.wrap(s.config(8)).order(ByteOrder.LITTLE_ENDIAN);
            ngpio = c.getShort(0) & 0xffff;
            namesSize = c.getInt(4) & 0xffffffffL;
            if (ngpio == 0) {
                throw Inapplicable.skip("the device has no lines (ngpio = 0)");
            }
        }

        long literal(String enumName, String name) {
            EnumModel e = ctx.device().enums().stream().filter(x -> x.name().equals(enumName)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the catalog's gpio has no enum " + enumName));
            return e.literals().stream().filter(l -> l.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(enumName + " has no " + name)).value().longValue();
        }

        byte[] request(String type, int line, long value) {
            return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                    .putShort((short) literal("virtio_gpio_msg_type", "VIRTIO_GPIO_MSG_" + type))
                    .putShort((short) line).putInt((int) value).array();
        }

        /** A line request; returns {status, value}. */
        byte[] line(String type, int line, long value) throws Exception {
            Exchange.Result r = s.exchange(0).out(request(type, line, value)).in(2).run();
            return r.written();
        }

        byte status(String name) {
            return (byte) literal("virtio_gpio_status", "VIRTIO_GPIO_STATUS_" + name);
        }

        void expect(byte[] resp, String status, String what) throws CheckFailure {
            CheckFailure.require(resp[0] == status(status), what + ": status " + (resp[0] & 0xff) + ", expected "
                    + status);
        }
    }

    private static void names(CheckContext ctx) throws Exception {
        Lines g = new Lines(ctx);
        if (g.namesSize == 0) {
            throw Inapplicable.skip("gpio_names_size is 0: the device gives no names");
        }
        if (g.namesSize > 1 << 16) {
            throw new CheckFailure("gpio_names_size " + g.namesSize + " is implausibly large");
        }
        Exchange.Result r = g.s.exchange(0).out(g.request("GET_NAMES", 0, 0)).in(1 + (int) g.namesSize).run();
        byte[] w = r.written();
        CheckFailure.require(w[0] == g.status("OK"), "GET_NAMES: status " + (w[0] & 0xff));
        int nuls = 0;
        for (int i = 1; i < w.length; i++) {
            if (w[i] == 0) {
                nuls++;
            }
        }
        CheckFailure.require(nuls >= g.ngpio, "GET_NAMES: " + nuls + " NUL-terminated names for " + g.ngpio + " lines");
        ctx.note(g.ngpio + " lines named in " + g.namesSize + " bytes");
    }

    private static void roundTrip(CheckContext ctx) throws Exception {
        Lines g = new Lines(ctx);
        long out = g.literal("virtio_gpio_direction", "VIRTIO_GPIO_DIRECTION_OUT");
        g.expect(g.line("SET_DIRECTION", 0, out), "OK", "SET_DIRECTION line 0 out");
        for (int v : new int[] {1, 0}) {
            g.expect(g.line("SET_VALUE", 0, v), "OK", "SET_VALUE line 0 = " + v);
            byte[] got = g.line("GET_VALUE", 0, 0);
            g.expect(got, "OK", "GET_VALUE line 0");
            CheckFailure.require(got[1] == v, "line 0 reads " + got[1] + " after being set to " + v);
        }
    }

    private static void badLine(CheckContext ctx) throws Exception {
        Lines g = new Lines(ctx);
        g.expect(g.line("GET_DIRECTION", g.ngpio, 0), "ERR", "GET_DIRECTION of line " + g.ngpio);
    }
}
