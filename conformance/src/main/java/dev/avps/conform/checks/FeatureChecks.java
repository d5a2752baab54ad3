package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.conform.model.Layouts;
import dev.avps.model.DeviceModel;
import dev.avps.model.FeatureModel;
import dev.avps.vhostuser.ProtocolFeature;
import dev.avps.vhostuser.driver.FrontEndException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Feature negotiation, derived from the model's feature bits and their {@code requires}. */
public final class FeatureChecks implements CheckFamily {

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("dev_offers_version_1", "The device offers VIRTIO_F_VERSION_1 (a device without it is legacy only).",
                        FeatureChecks::version1),
                new Check("dev_features_requires", "Every feature offered has the features its `requires` names offered too.",
                        FeatureChecks::requires),
                new Check("dev_features_ok_accepted", "Each valid subset of the offered features (all, none, each one left out, each one alone;"
                                + " valid: every `requires` holds and none the device may insist on is missing)"
                                + " is accepted: SET_FEATURES acknowledged and, with the status reachable, FEATURES_OK kept.",
                        FeatureChecks::subsets));
    }

    private static void version1(CheckContext ctx) throws CheckFailure {
        CheckFailure.require((ctx.offered() & Session.VERSION_1) != 0,
                "VERSION_1 (bit 32) is not offered: features 0x" + Long.toHexString(ctx.offered()));
    }

    private static void requires(CheckContext ctx) throws CheckFailure {
        List<String> broken = new ArrayList<>();
        for (FeatureModel f : ctx.device().features()) {
            if (f.requires() != null && f.bit() < 64 && (ctx.offered() & (1L << f.bit())) != 0
                    && !Layouts.holds(f.requires(), ctx.offered())) {
                broken.add(f.name() + " is offered without " + f.requires().render());
            }
        }
        CheckFailure.require(broken.isEmpty(), String.join("; ", broken));
        ctx.note(countRequires(ctx) + " offered feature(s) with a `requires`");
    }

    private static long countRequires(CheckContext ctx) {
        return ctx.device().features().stream().filter(f -> f.requires() != null && f.bit() < 64
                && (ctx.offered() & (1L << f.bit())) != 0).count();
    }

    /** Whether a set of bits satisfies every `requires` of the bits in it. */
    static boolean valid(DeviceModel device, long bits) {
        for (FeatureModel f : device.features()) {
            if (f.bit() < 64 && (bits & (1L << f.bit())) != 0 && f.requires() != null
                    && !Layouts.holds(f.requires(), bits)) {
                return false;
            }
        }
        return true;
    }

    private static void subsets(CheckContext ctx) throws Exception {
        long all = ctx.defaultFeatures() & ~Session.VERSION_1;
        long insisted = ctx.insisted();
        Set<Long> tried = new LinkedHashSet<>();
        tried.add(all);
        tried.add(0L);
        for (long rest = all; rest != 0; rest &= rest - 1) {
            long one = Long.lowestOneBit(rest);
            tried.add(all & ~one);
            tried.add(one);
        }
        List<String> refused = new ArrayList<>();
        int accepted = 0;
        boolean statusRead = true;
        int skipped = 0;
        for (long bits : tried) {
            if (!valid(ctx.device(), bits)) {
                continue;
            }
            if ((bits & insisted) != insisted) {
                skipped++; // the spec lets the device refuse these (its own check covers that)
                continue;
            }
            long features = bits | Session.VERSION_1;
            // Session.open fails on a NACK of SET_FEATURES (REPLY_ACK) or a cleared FEATURES_OK (STATUS).
            try (Session s = ctx.open(features)) {
                if (!s.frontEnd().hasProtocolFeature(ProtocolFeature.REPLY_ACK) && !s.hasStatus()) {
                    throw Inapplicable.notCheckable("the backend offers neither REPLY_ACK nor STATUS: it has no way"
                            + " to refuse features, so acceptance is not observable");
                }
                statusRead &= s.hasStatus();
                accepted++;
            } catch (FrontEndException e) {
                refused.add(names(ctx, bits) + ": " + e.getMessage());
                ctx.requireAlive("refusing features " + names(ctx, bits));
            }
        }
        CheckFailure.require(refused.isEmpty(), "valid feature sets refused: " + String.join("; ", refused));
        ctx.note(accepted + " valid feature set(s) accepted" + (skipped == 0 ? "" : "; " + skipped + " left out for lacking "
                + names(ctx, insisted) + ", which the device may insist on")
                + (statusRead ? "" : "; partly observed: FEATURES_OK was not read back (no STATUS protocol feature),"
                        + " acceptance is SET_FEATURES' REPLY_ACK"));
    }

    private static String names(CheckContext ctx, long bits) {
        List<String> n = new ArrayList<>();
        for (FeatureModel f : ctx.device().features()) {
            if (f.bit() < 64 && (bits & (1L << f.bit())) != 0) {
                n.add(f.name());
            }
        }
        return n.isEmpty() ? "{VERSION_1 only}" : "{" + String.join(", ", n) + "}";
    }
}
