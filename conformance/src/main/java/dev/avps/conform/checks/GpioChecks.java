package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.model.DeviceModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * virtio-gpio requestq behaviour (VIRTIO 1.4 5.18), written by hand. Messages go one at a time
 * unless a check is about messages submitted together (the chapter lets a driver send several
 * at once). The interrupt checks are {@link GpioIrqChecks}.
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
                new Check("gpio_names_terminated_unique", "The names block holds exactly ngpio zero-terminated names, and the"
                        + " non-empty ones are distinct.", GpioChecks::namesUnique),
                new Check("gpio_names_size_matches", "gpio_names_size is exactly the size of the names block: ngpio"
                        + " zero-terminated names fill it to its last byte (0 is a device without names).", GpioChecks::namesSize),
                new Check("gpio_config_fields_set", "The config reads the same twice, its padding is zero, and ngpio is set:"
                        + " the last line (ngpio - 1) answers OK; with ngpio 0, line 0 must not.", GpioChecks::configSet),
                new Check("gpio_response_fields_set", "Every message type, and a message for a line that does not exist, gets"
                        + " both response bytes written: status OK or ERR, value in the message's range (0 for SET_*).",
                        GpioChecks::responseSet),
                new Check("gpio_same_line_in_order", "Seven messages for one line submitted together come back in order, and"
                        + " each GET_VALUE reads the SET_VALUE before it.", GpioChecks::sameLineInOrder),
                new Check("gpio_different_lines_any_order", "Messages for up to 8 lines submitted together all come back, in"
                        + " any order, each with its own line's answer.", GpioChecks::differentLines),
                new Check("gpio_direction_none_resets", "After SET_DIRECTION NONE the line reads direction NONE, and set to"
                        + " output again it drives the level of a line without state, not the one set before.",
                        GpioChecks::directionNone),
                new Check("gpio_value_round_trip", "A line set to output reads back the value last set (1, then 0).", GpioChecks::roundTrip),
                new Check("gpio_bad_line_err", "A request for line ngpio (one past the last) is answered with ERR.", GpioChecks::badLine));
    }

    private static void names(CheckContext ctx) throws Exception {
        GpioLines g = new GpioLines(ctx);
        if (g.namesSize == 0) {
            throw Inapplicable.skip("gpio_names_size is 0: the device gives no names");
        }
        if (g.namesSize > 1 << 16) {
            throw new CheckFailure("gpio_names_size " + g.namesSize + " is implausibly large");
        }
        Exchange.Result r = g.s.exchange(GpioLines.REQUESTQ).out(g.request("GET_NAMES", 0, 0)).in(1 + (int) g.namesSize).run();
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

    private static void namesUnique(CheckContext ctx) throws Exception {
        GpioLines g = new GpioLines(ctx);
        List<String> names = g.names();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            CheckFailure.require(n.isEmpty() || seen.add(n), "line " + i + " repeats the name \"" + n + "\"");
        }
        ctx.note(seen.size() + " named line(s) of " + names.size());
    }

    private static void namesSize(CheckContext ctx) throws Exception {
        GpioLines g = new GpioLines(ctx);
        if (g.namesSize == 0) {
            ctx.note("gpio_names_size is 0: a device without names");
            return;
        }
        List<String> names = g.names();
        ctx.note(names.size() + " names fill the " + g.namesSize + "-byte block exactly");
    }

    private static void configSet(CheckContext ctx) throws Exception {
        GpioLines g = new GpioLines(ctx, false);
        byte[] again = g.s.config(8);
        CheckFailure.require(Arrays.equals(g.config, again), "two config reads differ: "
                + HexFormat.of().formatHex(g.config) + " then " + HexFormat.of().formatHex(again));
        CheckFailure.require(g.config[2] == 0 && g.config[3] == 0, "padding reads " + (g.config[2] & 0xff) + ", "
                + (g.config[3] & 0xff) + " (the device sets it to zero)");
        if (g.ngpio == 0) {
            byte[] r = g.line("GET_DIRECTION", 0, 0);
            CheckFailure.require(r[0] != g.status("OK"), "ngpio reads 0 but line 0 answers GET_DIRECTION with OK");
            ctx.note("ngpio 0, and line 0 does not exist");
            return;
        }
        byte[] last = g.line("GET_DIRECTION", g.ngpio - 1, 0);
        g.expect(last, "OK", "GET_DIRECTION of line ngpio - 1 = " + (g.ngpio - 1));
        ctx.note("ngpio " + g.ngpio + ", gpio_names_size " + g.namesSize);
    }

    /** One message of the response check: what it is and the largest value an OK answer may carry. */
    private record Probe(String type, int line, long value, int maxValue) {
    }

    private static void responseSet(CheckContext ctx) throws Exception {
        GpioLines g = new GpioLines(ctx);
        List<Probe> probes = new ArrayList<>(List.of(
                new Probe("GET_DIRECTION", 0, 0, (int) g.direction("IN")),
                new Probe("SET_VALUE", 0, 0, 0),
                new Probe("SET_DIRECTION", 0, g.direction("OUT"), 0),
                new Probe("GET_VALUE", 0, 0, 1),
                new Probe("SET_DIRECTION", 0, g.direction("IN"), 0)));
        if (ctx.offers("IRQ")) {
            // IRQ_TYPE only on a line set to input, as the driver must.
            probes.add(new Probe("IRQ_TYPE", 0, g.trigger("NONE"), 0));
        }
        probes.add(new Probe("SET_DIRECTION", 0, g.direction("NONE"), 0));
        probes.add(new Probe("GET_VALUE", g.ngpio, 0, 1));
        for (Probe p : probes) {
            byte[] fills = {Exchange.FILL, (byte) 0x5a};
            for (byte fill : fills) {
                Exchange.Result r = g.s.exchange(GpioLines.REQUESTQ).out(g.request(p.type(), p.line(), p.value())).in(2, fill).run();
                byte[] w = r.written();
                String what = p.type() + " line " + p.line();
                CheckFailure.require(w[0] == g.status("OK") || w[0] == g.status("ERR"), what + ": status " + (w[0] & 0xff)
                        + " is neither VIRTIO_GPIO_STATUS_OK nor VIRTIO_GPIO_STATUS_ERR");
                CheckFailure.require(w[1] != fill, what + ": the value byte was left as the driver filled it (0x"
                        + Integer.toHexString(fill & 0xff) + ")");
                if (w[0] == g.status("OK")) {
                    CheckFailure.require((w[1] & 0xff) <= p.maxValue(), what + ": OK with value " + (w[1] & 0xff)
                            + ", beyond " + p.maxValue());
                }
            }
        }
        ctx.note(probes.size() + " messages, each answered in full twice");
    }

    private static void sameLineInOrder(CheckContext ctx) throws Exception {
        GpioLines g = new GpioLines(ctx);
        long out = g.direction("OUT");
        List<Exchange> batch = List.of(g.message("SET_VALUE", 0, 1), g.message("SET_DIRECTION", 0, out),
                g.message("GET_VALUE", 0, 0), g.message("SET_VALUE", 0, 0), g.message("GET_VALUE", 0, 0),
                g.message("SET_VALUE", 0, 1), g.message("GET_VALUE", 0, 0));
        int[] reads = {-1, -1, 1, -1, 0, -1, 1};
        Exchange.Batch got = Exchange.together(batch);
        CheckFailure.require(got.order().equals(List.of(0, 1, 2, 3, 4, 5, 6)), "messages for line 0 queued as 0..6 came back"
                + " in the order " + got.order());
        for (int i = 0; i < reads.length; i++) {
            byte[] w = got.results().get(i).written();
            g.expect(w, "OK", "message " + i);
            CheckFailure.require(reads[i] < 0 || w[1] == reads[i], "message " + i + " (GET_VALUE) read " + w[1] + " where the"
                    + " SET_VALUE before it set " + reads[i]);
        }
    }

    private static void differentLines(CheckContext ctx) throws Exception {
        GpioLines g = new GpioLines(ctx);
        int n = Math.min(g.ngpio, 8);
        if (n < 2) {
            throw Inapplicable.skip("the device has one line");
        }
        List<Exchange> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(g.message("SET_VALUE", i, (i + 1) % 2));
        }
        for (int i = 0; i < n; i++) {
            batch.add(g.message("SET_DIRECTION", i, g.direction("OUT")));
        }
        for (int i = 0; i < n; i++) {
            batch.add(g.message("GET_VALUE", i, 0));
        }
        Exchange.Batch got = Exchange.together(batch);
        for (int k = 0; k < batch.size(); k++) {
            g.expect(got.results().get(k).written(), "OK", "message " + k + " (line " + k % n + ")");
        }
        for (int i = 0; i < n; i++) {
            byte v = got.results().get(2 * n + i).written()[1];
            CheckFailure.require(v == (i + 1) % 2, "line " + i + " read " + v + " after being set to " + (i + 1) % 2
                    + " (answers matched to the wrong buffers?)");
        }
        ctx.note(batch.size() + " messages for " + n + " lines came back in the order " + got.order());
    }

    private static void directionNone(CheckContext ctx) throws Exception {
        GpioLines g = new GpioLines(ctx);
        long out = g.direction("OUT");
        long none = g.direction("NONE");
        g.ok("SET_DIRECTION", 0, none);
        g.ok("SET_DIRECTION", 0, out);
        int fresh = g.ok("GET_VALUE", 0, 0);
        g.ok("SET_VALUE", 0, 1 - fresh);
        CheckFailure.require(g.ok("GET_VALUE", 0, 0) == 1 - fresh, "line 0 does not read back the level " + (1 - fresh)
                + " just set");
        g.ok("SET_DIRECTION", 0, none);
        int dir = g.ok("GET_DIRECTION", 0, 0);
        CheckFailure.require(dir == none, "after SET_DIRECTION NONE, GET_DIRECTION reads " + dir);
        g.ok("SET_DIRECTION", 0, out);
        int after = g.ok("GET_VALUE", 0, 0);
        CheckFailure.require(after == fresh, "line 0 drives " + after + ", the level set before NONE; a line without state"
                + " drives " + fresh);
        g.ok("SET_DIRECTION", 0, none);
    }

    private static void roundTrip(CheckContext ctx) throws Exception {
        GpioLines g = new GpioLines(ctx);
        long out = g.direction("OUT");
        g.expect(g.line("SET_DIRECTION", 0, out), "OK", "SET_DIRECTION line 0 out");
        for (int v : new int[] {1, 0}) {
            g.expect(g.line("SET_VALUE", 0, v), "OK", "SET_VALUE line 0 = " + v);
            byte[] got = g.line("GET_VALUE", 0, 0);
            g.expect(got, "OK", "GET_VALUE line 0");
            CheckFailure.require(got[1] == v, "line 0 reads " + got[1] + " after being set to " + v);
        }
    }

    private static void badLine(CheckContext ctx) throws Exception {
        GpioLines g = new GpioLines(ctx);
        g.expect(g.line("GET_DIRECTION", g.ngpio, 0), "ERR", "GET_DIRECTION of line " + g.ngpio);
    }
}
