package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.conform.model.Layouts;
import dev.avps.model.DeviceModel;
import dev.avps.model.Expectation;
import dev.avps.model.Expectation.ConfigRead;
import dev.avps.model.RequirementModel;
import dev.avps.model.ValueExpr;
import dev.avps.vhostuser.driver.FrontEndException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog's inline checks: each device requirement with {@code expect config FIELD OP BOUND}
 * becomes the check {@code <requirement>_expect}, evaluated from the model with no code per
 * requirement. The front end negotiates every offered feature (as the generic config checks do),
 * reads the config space, and compares each field with its bound; a field the negotiated features
 * leave out, or a {@code when} that does not hold, makes that expectation inapplicable.
 */
public final class ExpectationChecks implements CheckFamily {

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.requirements().stream().anyMatch(r -> r.inlineCheck() != null);
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        List<Check> out = new ArrayList<>();
        for (RequirementModel r : device.requirements()) {
            if (r.inlineCheck() != null && r.party() == RequirementModel.Party.DEVICE) {
                out.add(new Check(r.inlineCheck(), "Inline check of " + r.id() + ": the config reads "
                        + r.expectationText() + ".", ctx -> run(ctx, r)));
            }
        }
        return out;
    }

    private static void run(CheckContext ctx, RequirementModel r) throws Exception {
        if (ctx.device().config() == null) {
            throw Inapplicable.skip(ctx.device().name() + " has no configuration space");
        }
        try (Session s = ctx.open(ctx.defaultFeatures())) {
            if (!s.hasConfig()) {
                throw Inapplicable.notCheckable("the backend does not offer the CONFIG protocol feature: the front end"
                        + " cannot read the config space");
            }
            long features = s.negotiated();
            int n = Layouts.configSize(ctx.device().config(), features);
            byte[] config;
            try {
                config = s.config(n);
            } catch (FrontEndException e) {
                throw new CheckFailure("reading the " + n + " config bytes features 0x" + Long.toHexString(features)
                        + " make present failed: " + e.getMessage());
            }
            List<String> passed = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (Expectation e : r.expectations()) {
                try {
                    String seen = evaluate(e, config, features);
                    passed.add(seen);
                } catch (Inapplicable skip) {
                    skipped.add(e.text() + ": " + skip.getMessage());
                } catch (CheckFailure fail) {
                    failed.add(fail.getMessage());
                }
            }
            CheckFailure.require(failed.isEmpty(), r.id() + ": " + String.join("; ", failed));
            if (passed.isEmpty()) {
                throw Inapplicable.skip(String.join("; ", skipped));
            }
            ctx.note(String.join("; ", passed) + (skipped.isEmpty() ? "" : "; not applicable: " + String.join("; ", skipped)));
        }
    }

    /** Compares one expectation; returns what was seen, or throws the failure or why it does not apply. */
    static String evaluate(Expectation e, byte[] config, long features) throws Inapplicable, CheckFailure {
        if (e.condition() != null && !Layouts.holds(e.condition(), features)) {
            throw Inapplicable.skip("'when " + e.condition().render() + "' does not hold for the negotiated features 0x"
                    + Long.toHexString(features));
        }
        BigInteger value = read(e.field(), config, features);
        BigInteger bound = bound(e, e.bound(), config, features);
        String seen = e.field().path() + " = " + value;
        String against = e.op().symbol() + " " + rendered(e.bound(), bound);
        if (!e.op().holds(value.compareTo(bound))) {
            throw new CheckFailure(seen + ", expected " + against);
        }
        return seen + " (" + against + ")";
    }

    /** "3", or "seg_max * size_max / 512 = 1024" when the bound is more than a number. */
    private static String rendered(ValueExpr expr, BigInteger value) {
        return expr instanceof ValueExpr.Literal ? value.toString() : expr.render() + " = " + value;
    }

    private static BigInteger read(ConfigRead f, byte[] config, long features) throws Inapplicable {
        if (f.present() != null && !Layouts.holds(f.present(), features)) {
            throw Inapplicable.skip(f.path() + " is not present with the negotiated features 0x"
                    + Long.toHexString(features) + " (needs " + f.present().render() + ")");
        }
        if (f.offset() + f.scalar().size() > config.length) {
            throw Inapplicable.skip(f.path() + " lies beyond the " + config.length + " config bytes present");
        }
        return new BigInteger(Long.toUnsignedString(Layouts.read(config, f.offset(), f.scalar())));
    }

    /** The bound's value: numbers, constants, config fields read, feature-dependent {@code if}s. */
    private static BigInteger bound(Expectation e, ValueExpr x, byte[] config, long features) throws Inapplicable {
        if (x instanceof ValueExpr.Literal l) {
            return l.value();
        } else if (x instanceof ValueExpr.ConstantRef c) {
            return c.value();
        } else if (x instanceof ValueExpr.FieldRef f) {
            ConfigRead operand = e.operands().get(f.name());
            if (operand == null) {
                throw new IllegalStateException("the model placed no config field " + f.name() + " for " + e.text());
            }
            return read(operand, config, features);
        } else if (x instanceof ValueExpr.If i) {
            return bound(e, Layouts.holds(i.condition(), features) ? i.then() : i.otherwise(), config, features);
        }
        ValueExpr.Binary b = (ValueExpr.Binary) x;
        BigInteger l = bound(e, b.left(), config, features);
        BigInteger r = bound(e, b.right(), config, features);
        return switch (b.op()) {
            case '+' -> l.add(r);
            case '-' -> l.subtract(r);
            case '*' -> l.multiply(r);
            default -> {
                if (r.signum() == 0) {
                    throw Inapplicable.skip("the bound " + x.render() + " divides by zero");
                }
                yield l.divide(r);
            }
        };
    }
}
