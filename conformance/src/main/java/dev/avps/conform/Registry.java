package dev.avps.conform;

import dev.avps.conform.checks.BlkChecks;
import dev.avps.conform.checks.BlkRequestChecks;
import dev.avps.conform.checks.BlkZonedChecks;
import dev.avps.conform.checks.ConfigChecks;
import dev.avps.conform.checks.ConsoleChecks;
import dev.avps.conform.checks.ExpectationChecks;
import dev.avps.conform.checks.FeatureChecks;
import dev.avps.conform.checks.GpioChecks;
import dev.avps.conform.checks.GpioIrqChecks;
import dev.avps.conform.checks.I2cChecks;
import dev.avps.conform.checks.InputChecks;
import dev.avps.conform.checks.MalformedChecks;
import dev.avps.conform.checks.NetCtrlChecks;
import dev.avps.conform.checks.NetRxChecks;
import dev.avps.conform.checks.QueueChecks;
import dev.avps.conform.checks.RequestChecks;
import dev.avps.conform.checks.ResetChecks;
import dev.avps.conform.checks.RngChecks;
import dev.avps.conform.checks.SoundCtlChecks;
import dev.avps.conform.checks.SoundInfoChecks;
import dev.avps.conform.checks.SoundStreamChecks;
import dev.avps.conform.checks.VsockChecks;
import dev.avps.model.DeviceModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every check family, generic ones (derived from the model, for any device) first, then the
 * hand-written behavioural ones, each of which says which device it is for.
 */
public final class Registry {
    private static final List<CheckFamily> FAMILIES = List.of(new FeatureChecks(), new ConfigChecks(),
            new QueueChecks(), new RequestChecks(), new MalformedChecks(), new ResetChecks(), new BlkChecks(),
            new BlkRequestChecks(), new BlkZonedChecks(), new RngChecks(), new GpioChecks(), new GpioIrqChecks(),
            new I2cChecks(), new VsockChecks(), new InputChecks(),
            new SoundInfoChecks(), new SoundStreamChecks(), new SoundCtlChecks(), new ConsoleChecks(),
            new NetRxChecks(), new NetCtrlChecks(),
            new ExpectationChecks());

    private Registry() {
    }

    /** What the families that apply say the backend may insist on (see {@link CheckFamily#insistedFeatures}). */
    static long insistedFeatures(CheckContext ctx) throws Exception {
        long bits = 0;
        for (CheckFamily f : FAMILIES) {
            if (f.appliesTo(ctx.device())) {
                bits |= f.insistedFeatures(ctx);
            }
        }
        return bits;
    }

    /** The checks that apply to {@code device}, in run order; names are unique. */
    public static List<Check> checksFor(DeviceModel device) {
        List<Check> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (CheckFamily f : FAMILIES) {
            if (f.appliesTo(device)) {
                for (Check c : f.checks(device)) {
                    if (!names.add(c.name())) {
                        throw new IllegalStateException("two checks are named " + c.name());
                    }
                    out.add(c);
                }
            }
        }
        return out;
    }
}
