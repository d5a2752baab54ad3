package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.conform.model.Layouts;
import dev.avps.model.DeviceModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.StructLayout;
import dev.avps.vhostuser.driver.FrontEndException;
import java.util.ArrayList;
import java.util.List;

/** The device configuration space, derived from the model's config layout. */
public final class ConfigChecks implements CheckFamily {

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("dev_config_size", "The config space can be read up to the end of the last field the negotiated features make"
                                + " present, for every offered feature and for none.",
                        ConfigChecks::size),
                new Check("dev_reserved_config_zero", "Reserved config bytes read as zero.", ConfigChecks::reservedZero),
                new Check("dev_config_read_only", "A driver write to a config field it may not write leaves the config space unchanged.",
                        ConfigChecks::readOnly));
    }

    private static StructLayout layout(CheckContext ctx) throws Inapplicable {
        StructLayout c = ctx.device().config();
        if (c == null) {
            throw Inapplicable.skip(ctx.device().name() + " has no configuration space");
        }
        return c;
    }

    private static Session configSession(CheckContext ctx, long features) throws Exception {
        Session s = ctx.open(features);
        if (!s.hasConfig()) {
            throw Inapplicable.notCheckable("the backend does not offer the CONFIG protocol feature: the front end"
                    + " cannot read the config space");
        }
        return s;
    }

    private static void size(CheckContext ctx) throws Exception {
        StructLayout layout = layout(ctx);
        List<String> notes = new ArrayList<>();
        // "None": no optional feature, but what the device may insist on stays (i2c's
        // ZERO_LENGTH_REQUEST, a host-managed blk's ZONED), or it refuses the set.
        long none = Session.VERSION_1 | ctx.insisted();
        for (long features : new long[] {ctx.defaultFeatures(), none}) {
            try (Session s = configSession(ctx, features)) {
                int n = Layouts.configSize(layout, s.negotiated());
                try {
                    byte[] b = s.config(n);
                    CheckFailure.require(b.length == n, "GET_CONFIG of " + n + " bytes returned " + b.length);
                } catch (FrontEndException e) {
                    throw new CheckFailure("reading the " + n + " config bytes features 0x"
                            + Long.toHexString(s.negotiated()) + " make present failed: " + e.getMessage());
                }
                notes.add(n + " bytes with features 0x" + Long.toHexString(s.negotiated()));
            }
        }
        ctx.note(String.join(", ", notes));
    }

    private static void reservedZero(CheckContext ctx) throws Exception {
        StructLayout layout = layout(ctx);
        try (Session s = configSession(ctx, ctx.defaultFeatures())) {
            List<int[]> ranges = Layouts.reservedRanges(layout, s.negotiated());
            if (ranges.isEmpty()) {
                throw Inapplicable.skip("no reserved config field is present with the offered features");
            }
            byte[] cfg = s.config(Layouts.configSize(layout, s.negotiated()));
            List<String> bad = new ArrayList<>();
            for (int[] r : ranges) {
                for (int i = r[0]; i < r[0] + r[1]; i++) {
                    if (cfg[i] != 0) {
                        bad.add("byte " + i + " = 0x" + Integer.toHexString(cfg[i] & 0xff));
                    }
                }
            }
            CheckFailure.require(bad.isEmpty(), "reserved config bytes not zero: " + String.join(", ", bad));
            ctx.note(ranges.size() + " reserved field(s) read zero");
        }
    }

    private static void readOnly(CheckContext ctx) throws Exception {
        StructLayout layout = layout(ctx);
        try (Session s = configSession(ctx, ctx.defaultFeatures())) {
            int n = Layouts.configSize(layout, s.negotiated());
            byte[] before = s.config(n);
            List<FieldLayout> fields = Layouts.presentFields(layout, s.negotiated());
            int refused = 0;
            for (FieldLayout f : fields) {
                if (f.driverWritable() || f.offset() + f.size() > n || f.size() == 0) {
                    continue;
                }
                byte[] flipped = new byte[f.size()];
                for (int i = 0; i < flipped.length; i++) {
                    flipped[i] = (byte) ~before[f.offset() + i];
                }
                String what = "writing read-only field " + f.name() + " (" + f.size() + " bytes at " + f.offset() + ")";
                byte[] after;
                try {
                    s.frontEnd().setConfig(f.offset(), flipped);
                    after = s.config(n);
                } catch (FrontEndException e) {
                    if (e.reason() == FrontEndException.Reason.NACK) {
                        refused++; // refusing the write keeps the field as it was: allowed
                        continue;
                    }
                    throw new CheckFailure(what + ", then reading the config back: " + e.getMessage());
                }
                for (FieldLayout g : fields) {
                    if (g.driverWritable()) {
                        continue;
                    }
                    for (int i = g.offset(); i < Math.min(n, g.offset() + g.size()); i++) {
                        if (after[i] != before[i]) {
                            throw new CheckFailure("writing read-only field " + f.name() + " changed " + g.name()
                                    + " (byte " + i + ": 0x" + Integer.toHexString(before[i] & 0xff) + " -> 0x"
                                    + Integer.toHexString(after[i] & 0xff) + ")");
                        }
                    }
                }
            }
            ctx.note(refused > 0 ? refused + " write(s) refused with a NACK, the rest ignored" : "writes ignored");
        }
    }
}
