package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.conform.model.Layouts;
import dev.avps.model.DeviceModel;
import dev.avps.model.FieldLayout;
import dev.avps.vhostuser.driver.FrontEndException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * virtio-console device requirements (VIRTIO 1.4 5.3.5.1 and 5.3.6.2.1), written by hand. The
 * port checks act as a driver on the control queues ({@link ConsoleControl}) and judge every
 * message the device sends after DEVICE_READY.
 */
public final class ConsoleChecks implements CheckFamily {

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("console");
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("console_port_add_valid", "After DEVICE_READY (and PORT_READY 1 for each port added), no PORT_ADD"
                        + " names a port at or beyond max_nr_ports or one that is already there.", ConsoleChecks::addValid),
                new Check("console_port_remove_added", "After DEVICE_READY, with each added port answered PORT_READY 0 (the"
                        + " driver could not set it up), every PORT_REMOVE names a port an earlier PORT_ADD created.",
                        ConsoleChecks::removeAdded),
                new Check("console_emerg_write_accepted", "emerg_wr takes a write before any queue is set up, with"
                        + " EMERG_WRITE not acknowledged, and again after DRIVER_OK; the device stays usable (port 0's"
                        + " transmitq takes output).", ConsoleChecks::emergWrite));
    }

    private static void addValid(CheckContext ctx) throws Exception {
        try (Session s = ctx.open()) {
            ConsoleControl c = ConsoleControl.handshake(ctx, s, 1);
            List<ConsoleControl.Message> adds = c.events(c.addEvent);
            if (adds.isEmpty()) {
                throw Inapplicable.notCheckable("the device announced no port in " + c.messages.size()
                        + " control message(s) after DEVICE_READY: nothing to judge");
            }
            Set<Long> live = new HashSet<>();
            List<String> bad = new ArrayList<>();
            for (ConsoleControl.Message m : c.messages) {
                if (m.event() == c.removeEvent) {
                    live.remove(m.id());
                } else if (m.event() == c.addEvent) {
                    if (m.id() >= c.maxNrPorts) {
                        bad.add("PORT_ADD for port " + m.id() + " with max_nr_ports " + c.maxNrPorts);
                    } else if (!live.add(m.id())) {
                        bad.add("PORT_ADD for port " + m.id() + ", which was already added and not removed");
                    }
                }
            }
            CheckFailure.require(bad.isEmpty(), String.join("; ", bad));
            ctx.note(adds.size() + " port(s) added " + adds.stream().map(m -> String.valueOf(m.id())).toList()
                    + " with max_nr_ports " + c.maxNrPorts + ", " + c.messages.size() + " control messages in all");
        }
    }

    private static void removeAdded(CheckContext ctx) throws Exception {
        try (Session s = ctx.open()) {
            ConsoleControl c = ConsoleControl.handshake(ctx, s, 0);
            if (c.messages.isEmpty()) {
                throw Inapplicable.notCheckable("the device sent no control message after DEVICE_READY: nothing to judge");
            }
            Set<Long> live = new HashSet<>();
            int removes = 0;
            for (ConsoleControl.Message m : c.messages) {
                if (m.event() == c.addEvent) {
                    live.add(m.id());
                } else if (m.event() == c.removeEvent) {
                    removes++;
                    CheckFailure.require(live.remove(m.id()), "PORT_REMOVE for port " + m.id() + ", which no earlier"
                            + " PORT_ADD created (messages: " + c.messages + ")");
                }
            }
            ctx.note(removes + " PORT_REMOVE(s) among " + c.messages.size() + " control messages, each for an added port"
                    + (removes == 0 ? " (the device removed nothing; hot-unplug is not something a front end can cause)" : ""));
        }
    }

    private static void emergWrite(CheckContext ctx) throws Exception {
        if (!ctx.offers("EMERG_WRITE")) {
            throw Inapplicable.skip("the backend does not offer EMERG_WRITE");
        }
        FieldLayout f = ctx.device().config().fields().stream().filter(x -> x.name().equals("emerg_wr")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the catalog's console has no emerg_wr"));
        // The chapter lets a driver write emerg_wr without acknowledging the feature: leave it out.
        try (Session s = ctx.open(ctx.defaultFeatures() & ~ctx.bit("EMERG_WRITE"))) {
            if (!s.hasConfig()) {
                throw Inapplicable.notCheckable("the backend does not offer the CONFIG protocol feature: the front end"
                        + " cannot write emerg_wr");
            }
            write(s, f, 'E', "before any queue was set up");
            int tx = Layouts.queueIndex(ctx.device(), "transmitq");
            byte[] text = "avps conform: port 0 after emerg_wr\n".getBytes(StandardCharsets.US_ASCII);
            try {
                Exchange.Result r = s.exchange(tx).out(text).run();
                CheckFailure.require(r.damage().isEmpty(), "port 0 output: " + String.join(", ", r.damage()));
            } catch (FrontEndException e) {
                throw new CheckFailure("after a write to emerg_wr, port 0's transmitq no longer works: " + e.getMessage());
            }
            write(s, f, '\n', "after DRIVER_OK");
            long status = s.status();
            CheckFailure.require(status < 0 || (status & Session.S_NEEDS_RESET) == 0, "the device set NEEDS_RESET after"
                    + " writes to emerg_wr (status 0x" + Long.toHexString(status) + ")");
        }
        ctx.requireAlive("writes to emerg_wr");
        ctx.note("two emerg_wr writes taken, port 0 still takes output; where the byte goes is not visible here");
    }

    private static void write(Session s, FieldLayout f, char c, String when) throws CheckFailure {
        byte[] v = new byte[f.size()];
        v[0] = (byte) c;
        try {
            s.frontEnd().setConfig(f.offset(), v);
            s.config(f.offset()); // a round trip, so a backend that choked on the write shows it now
        } catch (FrontEndException e) {
            throw new CheckFailure("writing emerg_wr " + when + " failed: " + e.getMessage());
        }
    }
}
