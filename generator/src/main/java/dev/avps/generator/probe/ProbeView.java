package dev.avps.generator.probe;

import dev.avps.model.FeatureExpr;
import dev.avps.model.PlatformModel;
import dev.avps.model.PlatformModel.Demand;
import java.util.ArrayList;
import java.util.List;

/**
 * What the guest probe's template prints for one platform: one row per statement, in the order of
 * {@link PlatformModel#statements()}, with every number the probe compares already worked out
 * (feature bits, config offsets and widths, bounds as C literals, presence conditions as C
 * expressions over the offered bits). The template only formats rows into a C table.
 */
public final class ProbeView {

    /** One statement as the probe's table holds it; the C names match the template's enum. */
    public record Row(String id, String level, String kind, int deviceId, String deviceName, boolean negated, int bit,
            int offset, int width, String op, String value, String condition, String conditionText, List<String> checks,
            String reason) {
    }

    private final PlatformModel platform;
    private final List<Row> rows = new ArrayList<>();

    private ProbeView(PlatformModel platform) {
        this.platform = platform;
    }

    public static ProbeView of(PlatformModel p) {
        ProbeView v = new ProbeView(p);
        v.scan();
        return v;
    }

    private void scan() {
        if (!platform.transports().isEmpty()) {
            rows.add(new Row(platform.name() + ".transport", "MUST", "TRANSPORT", 0, "", false, 0, 0, 0, "EQ", "0",
                    null, null, List.of(), null));
        }
        for (PlatformModel.DeviceEntry d : platform.devices()) {
            int id = d.device().id();
            String name = d.device().name();
            rows.add(new Row(d.presenceId(), d.level().name(), "PRESENT", id, name, false, 0, 0, 0, "EQ", "0", null, null,
                    List.of(), null));
            for (Demand x : d.demands()) {
                rows.add(row(x, id, name));
            }
        }
        for (PlatformModel.Rule r : platform.rules()) {
            rows.add(new Row(r.id(), r.level().name(), "RULE", 0, "", r.negated(), 0, 0, 0, "EQ", "0", null, null,
                    r.checks(), r.notCheckableReason()));
        }
    }

    private static Row row(Demand x, int id, String name) {
        String level = x.level().name();
        String op = x.op() == null ? "EQ" : x.op().name();
        String value = x.value() == null ? "0" : x.value() + "ULL";
        return switch (x.kind()) {
            case OFFER -> new Row(x.id(), level, "OFFER", id, name, x.negated(), x.feature().bit(), 0, 0, op, value, null,
                    null, List.of(), null);
            case CONFIG -> new Row(x.id(), level, "CONFIG", id, name, false, 0, x.field().offset(),
                    x.field().scalar().size(), op, value, x.field().present() == null ? null : c(x.field().present()),
                    x.field().present() == null ? null : x.field().present().render(), List.of(), null);
            case QUEUES -> new Row(x.id(), level, "QUEUES", id, name, false, 0, 0, 0, op, value, null, null, List.of(),
                    null);
            case QUEUE_SIZE -> new Row(x.id(), level, "QUEUE_SIZE", id, name, false, 0, 0, 0, op, value, null, null,
                    List.of(), null);
        };
    }

    /** A feature condition as C over {@code f}, the device's offered (or, failing that, negotiated) bits. */
    static String c(FeatureExpr e) {
        if (e instanceof FeatureExpr.Ref r) {
            return "HAS(f, " + r.bit() + ")";
        } else if (e instanceof FeatureExpr.And a) {
            return "(" + c(a.left()) + " && " + c(a.right()) + ")";
        } else if (e instanceof FeatureExpr.Or o) {
            return "(" + c(o.left()) + " || " + c(o.right()) + ")";
        }
        return "!" + c(((FeatureExpr.Not) e).operand());
    }

    /** A C string literal for any text: quotes, backslashes and bytes outside printable ASCII escaped. */
    public static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (byte by : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int ch = by & 0xff;
            if (ch == '"' || ch == '\\') {
                b.append('\\').append((char) ch);
            } else if (ch < 0x20 || ch >= 0x7f || ch == '?') {
                // Octal, three digits, so a following digit cannot join it; '?' so no trigraph forms.
                b.append(String.format("\\%03o", ch));
            } else {
                b.append((char) ch);
            }
        }
        return b.append('"').toString();
    }

    public String name() {
        return platform.name();
    }

    public String version() {
        return platform.version();
    }

    public List<String> transports() {
        return platform.transports();
    }

    public List<Row> rows() {
        return rows;
    }
}
