package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.model.DeviceModel;
import dev.avps.model.FieldLayout;
import dev.avps.vhostuser.driver.FrontEndException;
import java.util.ArrayList;
import java.util.List;

/**
 * virtio-input (VIRTIO 1.4 5.8), written by hand: the select/subsel query window and what the
 * device does with events while the driver gives it no buffers. Field offsets and select values
 * come from the catalog; the evdev numbers (event types, SYN_REPORT) are Linux's uapi values, which
 * the chapter adopts and the catalog does not model.
 */
public final class InputChecks implements CheckFamily {
    /** evdev's event types and EV_SYN codes (linux/input-event-codes.h). */
    static final int EV_SYN = 0x00;
    static final int EV_KEY = 0x01;
    static final int EV_ABS = 0x03;
    static final int SYN_REPORT = 0;
    static final int SYN_DROPPED = 3;
    /** The highest evdev event type and absolute axis; types 0x06..0x10 are unassigned. */
    static final int EV_MAX = 0x1f;
    static final int ABS_MAX = 0x3f;
    static final int UNASSIGNED_EV_TYPE = 0x07;

    static final int EVENTQ = 0;
    static final int EVENT_SIZE = 8;

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("input");
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("input_config_unknown_select_zero", "Queries with no answer (select UNSET, undefined selects,"
                        + " a non-zero subsel where the chapter says zero, an unassigned event type, axes the device does not"
                        + " report) read size 0, each written right after a query that has an answer.",
                        InputChecks::unknownSelectZero),
                new Check("input_starved_eventq_drops_whole", "With no eventq buffer for " + InputStream.STARVE_MILLIS
                        + " ms, then buffers again: the events that come are whole updates (none empty, no key state"
                        + " twice in one, each closed by SYN_REPORT); not checkable when the device's side sends nothing.",
                        InputStream::starvedDropsWhole));
    }

    /** One query that has no answer, and why. */
    private record Probe(int select, int subsel, String why) {
    }

    private static void unknownSelectZero(CheckContext ctx) throws Exception {
        DeviceModel d = ctx.device();
        int selectAt = configOffset(d, "select");
        int subselAt = configOffset(d, "subsel");
        int sizeAt = configOffset(d, "size");
        int uAt = configOffset(d, "u");
        try (Session s = ctx.open()) {
            if (!s.hasConfig()) {
                throw Inapplicable.notCheckable("no CONFIG protocol feature: the query window cannot be written or read");
            }
            int name = (int) select(d, "ID_NAME");
            // The answer that precedes every probe, so a device that keeps its last answer is seen.
            int known = query(s, selectAt, subselAt, sizeAt, name, 0);
            List<Probe> probes = new ArrayList<>();
            probes.add(new Probe((int) select(d, "UNSET"), 0, "select UNSET"));
            for (int undefined : new int[] {0x04, 0x13, 0x7f, 0xff}) {
                probes.add(new Probe(undefined, 0, "undefined select 0x" + Integer.toHexString(undefined)));
            }
            for (String sel : List.of("ID_NAME", "ID_SERIAL", "ID_DEVIDS", "PROP_BITS")) {
                probes.add(new Probe((int) select(d, sel), 1, sel + " with subsel 1 (the chapter's subsel is 0)"));
            }
            int evBits = (int) select(d, "EV_BITS");
            probes.add(new Probe(evBits, UNASSIGNED_EV_TYPE, "EV_BITS for unassigned event type 0x07"));
            probes.add(new Probe(evBits, 0xff, "EV_BITS for event type 0xff, past EV_MAX"));
            int absInfo = (int) select(d, "ABS_INFO");
            byte[] axes = answer(s, selectAt, subselAt, sizeAt, uAt, evBits, EV_ABS);
            int unreported = -1;
            for (int axis = 0; axis <= ABS_MAX && unreported < 0; axis++) {
                if (axis / 8 >= axes.length || (axes[axis / 8] & (1 << (axis % 8))) == 0) {
                    unreported = axis;
                }
            }
            if (unreported >= 0) {
                probes.add(new Probe(absInfo, unreported, "ABS_INFO for axis " + unreported + ", not in EV_BITS/EV_ABS"));
            }
            probes.add(new Probe(absInfo, 0xff, "ABS_INFO for axis 0xff, past ABS_MAX"));
            List<String> bad = new ArrayList<>();
            for (Probe p : probes) {
                query(s, selectAt, subselAt, sizeAt, name, 0);
                int size = query(s, selectAt, subselAt, sizeAt, p.select(), p.subsel());
                if (size != 0) {
                    bad.add(p.why() + ": size " + size);
                }
            }
            CheckFailure.require(bad.isEmpty(), "queries without an answer read a non-zero size: " + String.join("; ", bad));
            ctx.note(probes.size() + " queries without an answer read size 0" + (known == 0
                    ? " (ID_NAME answers size 0 too: a device without a name, so a kept answer would not show)"
                    : ", each after ID_NAME answered " + known + " bytes"));
        }
    }

    /** Writes select and subsel (as a driver does, the two bytes together) and returns the size read back. */
    private static int query(Session s, int selectAt, int subselAt, int sizeAt, int select, int subsel) throws Exception {
        try {
            if (subselAt == selectAt + 1) {
                s.frontEnd().setConfig(selectAt, new byte[] {(byte) select, (byte) subsel});
            } else {
                s.frontEnd().setConfig(selectAt, new byte[] {(byte) select});
                s.frontEnd().setConfig(subselAt, new byte[] {(byte) subsel});
            }
        } catch (FrontEndException e) {
            throw new CheckFailure("writing select 0x" + Integer.toHexString(select) + ", subsel 0x"
                    + Integer.toHexString(subsel) + " failed, though both are the driver's to write: " + e.getMessage());
        }
        return s.config(sizeAt + 1)[sizeAt] & 0xff;
    }

    private static byte[] answer(Session s, int selectAt, int subselAt, int sizeAt, int uAt, int select, int subsel)
            throws Exception {
        int size = query(s, selectAt, subselAt, sizeAt, select, subsel);
        byte[] cfg = s.config(uAt + Math.max(1, size));
        byte[] out = new byte[size];
        System.arraycopy(cfg, uAt, out, 0, size);
        return out;
    }

    static long select(DeviceModel d, String name) {
        return Literals.value(d, "virtio_input_config_select", "VIRTIO_INPUT_CFG_" + name);
    }

    static int configOffset(DeviceModel d, String field) {
        return d.config().field(field).map(FieldLayout::offset)
                .orElseThrow(() -> new IllegalStateException("the catalog's input config has no " + field));
    }
}
