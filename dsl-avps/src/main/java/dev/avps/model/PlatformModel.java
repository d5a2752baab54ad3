package dev.avps.model;

import dev.avps.model.Expectation.Comparison;
import dev.avps.model.Expectation.ConfigRead;
import dev.avps.model.RequirementModel.Level;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A virtual platform: the catalog devices it provides, at a level, what each must offer, the
 * transports it allows and its own requirements. Every statement carries an ID derived here once
 * ({@code blk.present}, {@code blk.offer.VIRTIO_BLK_F_FLUSH}, {@code blk.config.seg_max},
 * {@code blk.queues}, {@code blk.queue_size}; a platform requirement's own name), so the guest
 * probe, the host checks and the reports all name a statement the same way.
 *
 * @param transports the transports a conformant platform may put its devices on; empty means any
 */
public record PlatformModel(String packageName, String name, String version, DeviceModel.Status status,
        List<String> transports, String doc, String sourceFile, List<DeviceEntry> devices, List<Rule> rules) {

    public PlatformModel {
        transports = List.copyOf(transports);
        devices = List.copyOf(devices);
        rules = List.copyOf(rules);
    }

    /** Every statement the platform makes, in the order a report lists them. */
    public List<Statement> statements() {
        List<Statement> out = new ArrayList<>();
        if (!transports.isEmpty()) {
            out.add(new Statement(name + ".transport", Level.MUST, false,
                    "put every virtio device on one of these transports: " + String.join(", ", transports), null, null));
        }
        for (DeviceEntry d : devices) {
            String n = d.device().name();
            out.add(new Statement(d.presenceId(), d.level(), false, "provide " + article(n) + " " + n + " device (ID "
                    + d.device().id() + ")", null, d.doc()));
            for (Demand x : d.demands()) {
                out.add(new Statement(x.id(), x.level(), x.negated(), x.phrase(), n, x.doc()));
            }
        }
        for (Rule r : rules) {
            out.add(new Statement(r.id(), r.level(), r.negated(), r.statement(), null, r.doc()));
        }
        return out;
    }

    private static String article(String word) {
        return !word.isEmpty() && "aeiou".indexOf(Character.toLowerCase(word.charAt(0))) >= 0 ? "an" : "a";
    }

    /**
     * One line of the platform as the reports list it: who ({@code device}, or the platform as a
     * whole) {@link #keyword()} {@code text}.
     *
     * @param text   the statement after its keyword ("offer FLUSH", "provide a blk device (ID 2)")
     * @param device the device it demands something of, or null for a statement of the platform
     *               (a device's presence, the transports, a platform requirement)
     * @param doc    why, as the platform's doc comment says, or null
     */
    public record Statement(String id, Level level, boolean negated, String text, String device, String doc) {

        /** The RFC 2119 keyword as it reads in prose, e.g. "MUST NOT". */
        public String keyword() {
            return negated ? level + " NOT" : level.toString();
        }

        /** The whole sentence: "blk MUST offer FLUSH", "The platform MUST provide a blk device (ID 2)". */
        public String sentence() {
            return (device == null ? "The platform" : device) + " " + keyword() + " " + text;
        }
    }

    /** A device of the catalog the platform provides. */
    public record DeviceEntry(DeviceModel device, Level level, String doc, List<Demand> demands) {

        public DeviceEntry {
            demands = List.copyOf(demands);
        }

        public String presenceId() {
            return device.name() + ".present";
        }
    }

    /**
     * One thing the platform asks of a device: it offers a feature (or not), a config field is
     * within a bound, or its queue count or each queue's size is.
     *
     * @param feature the feature for {@link Kind#OFFER}, otherwise null
     * @param field   the config field, placed in the bytes, for {@link Kind#CONFIG}, otherwise null
     * @param op      the comparison for the bounded kinds, otherwise null
     * @param value   the bound for the bounded kinds, otherwise null
     */
    public record Demand(String id, Kind kind, Level level, boolean negated, FeatureModel feature, ConfigRead field,
            Comparison op, BigInteger value, String doc) {

        public enum Kind { OFFER, CONFIG, QUEUES, QUEUE_SIZE }

        /** The RFC 2119 keyword as it reads in prose, e.g. "MUST NOT". */
        public String keyword() {
            return negated ? level + " NOT" : level.toString();
        }

        /** The demand as a sentence after the device, e.g. "MUST offer VIRTIO_BLK_F_FLUSH". */
        public String text() {
            return keyword() + " " + phrase();
        }

        /** What is demanded, after the keyword: "offer FLUSH", "have config seg_max >= 1". */
        public String phrase() {
            return switch (kind) {
                case OFFER -> "offer " + feature.name();
                case CONFIG -> "have config " + field.path() + " " + op.symbol() + " " + value;
                case QUEUES -> "have a number of queues " + op.symbol() + " " + value;
                case QUEUE_SIZE -> "have every queue's size " + op.symbol() + " " + value;
            };
        }
    }

    /**
     * A requirement of the platform as a whole.
     *
     * @param checks             the guest probe's checks that test it
     * @param notCheckableReason why neither the probe nor the host checks can observe it, or null
     */
    public record Rule(String id, Level level, boolean negated, String statement, List<String> checks,
            String notCheckableReason, String doc) {

        public Rule {
            checks = List.copyOf(checks);
        }

        /** "MUST NOT ..." with the keyword in front. */
        public String text() {
            return (negated ? level + " NOT" : level.toString()) + " " + statement;
        }
    }
}
