package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Exchange;
import dev.avps.conform.Session;
import dev.avps.model.DeviceModel;
import java.util.Arrays;
import java.util.List;

/** virtio-rng behaviour (VIRTIO 1.x 5.4), written by hand. */
public final class RngChecks implements CheckFamily {

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("rng");
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("rng_buffer_filled", "Buffers of 1, 64 and 4096 bytes and a chain of three 16-byte ones each come back with at"
                                + " least one byte, never more than they hold, nothing written around them.",
                        RngChecks::filled),
                new Check("rng_not_repeating", "Two 64-byte buffers do not come back with the same bytes (a weak sign of a"
                                + " non-deterministic source; the source itself is not observable).",
                        RngChecks::notRepeating));
    }

    private static void filled(CheckContext ctx) throws Exception {
        try (Session s = ctx.open()) {
            int[][] shapes = {{1}, {64}, {4096}, {16, 16, 16}};
            for (int[] shape : shapes) {
                Exchange ex = s.exchange(0);
                for (int len : shape) {
                    ex.in(len);
                }
                Exchange.Result r = ex.run();
                String what = Arrays.toString(shape) + "-byte buffer";
                CheckFailure.require(r.used() > 0, what + ": came back with used length 0");
                CheckFailure.require(Integer.toUnsignedLong(r.used()) <= ex.writableBytes(), what + ": used length "
                        + r.used() + " > " + ex.writableBytes());
                CheckFailure.require(r.damage().isEmpty(), what + ": " + String.join(", ", r.damage()));
                if (r.used() >= 16) {
                    boolean untouched = true;
                    for (int i = 0; i < r.used(); i++) {
                        untouched &= r.written()[i] == Exchange.FILL;
                    }
                    CheckFailure.require(!untouched, what + ": the " + r.used() + " bytes reported used were never"
                            + " written");
                }
            }
        }
    }

    private static void notRepeating(CheckContext ctx) throws Exception {
        try (Session s = ctx.open()) {
            Exchange.Result a = s.exchange(0).in(64).run();
            Exchange.Result b = s.exchange(0).in(64).run();
            CheckFailure.require(a.used() > 0 && b.used() > 0, "empty buffers");
            CheckFailure.require(!Arrays.equals(a.written(), b.written()), "two buffers came back with the same bytes");
        }
    }
}
