package dev.avps.conform.platform;

import dev.avps.conform.model.Layouts;
import dev.avps.conform.platform.HostProbe.Observation;
import dev.avps.model.Verdict;
import dev.avps.model.Verdict.Outcome;
import dev.avps.model.ByteOrder;
import dev.avps.model.Expectation.ConfigRead;
import dev.avps.model.PlatformModel;
import dev.avps.model.PlatformModel.Demand;
import dev.avps.model.PlatformModel.DeviceEntry;
import dev.avps.model.PlatformModel.Rule;
import dev.avps.model.PlatformModel.Statement;
import dev.avps.model.RequirementModel.Level;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a platform's statements from what the front end observed of each backend: one verdict per
 * statement, in the platform's order. What only a guest sees (the transport, queue sizes, the
 * platform's own requirements) is skipped with the reason; the guest probe judges those.
 */
public final class HostJudge {

    private HostJudge() {
    }

    /** @param seen the observed backends by device name; a device missing here had no socket */
    public static List<Verdict> judge(PlatformModel p, Map<String, Observation> seen) {
        return judge(p, seen, java.util.Set.of());
    }

    /**
     * @param seen      the observed backends by device name; a device missing here had no socket
     * @param elsewhere devices the configuration provides without a vhost-user backend (the
     *                  hypervisor's own): no socket is expected, so their statements are left to a guest
     */
    public static List<Verdict> judge(PlatformModel p, Map<String, Observation> seen, java.util.Set<String> elsewhere) {
        Map<String, Demand> demands = new HashMap<>();
        Map<String, DeviceEntry> entries = new HashMap<>();
        Map<String, Rule> rules = new HashMap<>();
        for (DeviceEntry d : p.devices()) {
            entries.put(d.presenceId(), d);
            d.demands().forEach(x -> demands.put(x.id(), x));
        }
        p.rules().forEach(r -> rules.put(r.id(), r));
        List<Verdict> out = new ArrayList<>();
        for (Statement s : p.statements()) {
            String device = entries.containsKey(s.id()) ? entries.get(s.id()).device().name() : s.device();
            if (device != null && seen.get(device) == null && elsewhere.contains(device)) {
                out.add(new Verdict(s.id(), Outcome.SKIP, device + " is provided without a vhost-user backend in this"
                        + " configuration (the hypervisor's own device): only a guest can observe it"));
            } else if (entries.containsKey(s.id())) {
                out.add(present(s.id(), device, seen.get(device)));
            } else if (rules.containsKey(s.id())) {
                out.add(rule(rules.get(s.id())));
            } else if (demands.containsKey(s.id())) {
                out.add(demand(demands.get(s.id()), seen.get(device), device));
            } else {
                out.add(new Verdict(s.id(), Outcome.SKIP, "only a guest can observe the transport its devices sit on ("
                        + String.join(", ", p.transports()) + " allowed): a vhost-user backend serves whichever one"
                        + " the VMM puts it on"));
            }
        }
        return out;
    }

    /** Whether no statement at MUST level failed. */
    public static boolean passes(PlatformModel p, List<Verdict> lines) {
        Map<String, Level> levels = new HashMap<>();
        p.statements().forEach(s -> levels.put(s.id(), s.level()));
        return lines.stream().noneMatch(l -> l.outcome() == Outcome.FAIL && levels.get(l.id()) == Level.MUST);
    }

    private static Verdict present(String id, String device, Observation o) {
        if (o == null) {
            return new Verdict(id, Outcome.FAIL, "no backend socket in this configuration");
        }
        if (o.broken() != null) {
            return new Verdict(id, Outcome.FAIL, o.broken());
        }
        if (o.mismatch() != null) {
            return new Verdict(id, Outcome.FAIL, "the backend at " + o.socket() + " does not answer as " + device + ": "
                    + o.mismatch());
        }
        return new Verdict(id, Outcome.PASS, "a backend answers at " + o.socket() + "; " + String.join(", ", o.evidence())
                + "; vhost-user carries no device ID, so that it is a " + device + " is the configuration's word");
    }

    private static Verdict rule(Rule r) {
        if (r.notCheckableReason() != null) {
            return new Verdict(r.id(), Outcome.SKIP, "not checkable: " + r.notCheckableReason());
        }
        return new Verdict(r.id(), Outcome.SKIP, "only a guest can observe this"
                + (r.checks().isEmpty() ? "" : " (guest probe: " + String.join(", ", r.checks()) + ")"));
    }

    private static Verdict demand(Demand x, Observation o, String device) {
        if (o == null) {
            return new Verdict(x.id(), Outcome.SKIP, "no backend socket for " + device + " in this configuration (see "
                    + device + ".present)");
        }
        if (!o.usable()) {
            return new Verdict(x.id(), Outcome.SKIP, "the backend at " + o.socket() + " did not answer as " + device
                    + " (see " + device + ".present)");
        }
        return switch (x.kind()) {
            case OFFER -> offer(x, o);
            case CONFIG -> config(x, o);
            case QUEUES -> queues(x, o);
            case QUEUE_SIZE -> new Verdict(x.id(), Outcome.SKIP, "only a guest can observe the queue size: the transport"
                    + " states a maximum to the guest's driver, while over vhost-user the front end picks the size"
                    + " (SET_VRING_NUM) and the backend states none");
        };
    }

    private static Verdict offer(Demand x, Observation o) {
        int bit = x.feature().bit();
        String name = x.feature().name() + " (bit " + bit + ")";
        if (bit >= 64) {
            return new Verdict(x.id(), Outcome.SKIP, name + " lies beyond the 64 bits GET_FEATURES carries");
        }
        boolean offered = (o.offered() & (1L << bit)) != 0;
        String seen = name + (offered ? " is offered" : " is not offered") + " (GET_FEATURES 0x"
                + Long.toHexString(o.offered()) + ")";
        return new Verdict(x.id(), offered != x.negated() ? Outcome.PASS : Outcome.FAIL,
                seen + (x.negated() ? "; the platform forbids it" : ""));
    }

    private static Verdict config(Demand x, Observation o) {
        ConfigRead f = x.field();
        if (!o.hasConfig()) {
            return new Verdict(x.id(), Outcome.SKIP, "the backend lacks the CONFIG protocol feature: a front end cannot"
                    + " read its config space");
        }
        if (f.present() != null && !Layouts.holds(f.present(), o.offered())) {
            return new Verdict(x.id(), Outcome.FAIL, "field exists only when " + f.present().render()
                    + " is offered; the backend offers 0x" + Long.toHexString(o.offered()));
        }
        if (o.configError() != null) {
            return new Verdict(x.id(), Outcome.FAIL, "GET_CONFIG failed: " + o.configError());
        }
        int size = f.scalar().size();
        if (o.config() == null || f.offset() + size > o.config().length) {
            return new Verdict(x.id(), Outcome.FAIL, f.path() + " (bytes " + f.offset() + ".." + (f.offset() + size - 1)
                    + ") lies beyond the " + (o.config() == null ? 0 : o.config().length) + " config bytes read");
        }
        BigInteger value = unsigned(o.config(), f.offset(), size, f.scalar().order() == ByteOrder.BIG);
        String seen = f.path() + " = " + value;
        String bound = x.op().symbol() + " " + x.value();
        return x.op().holds(value.compareTo(x.value())) ? new Verdict(x.id(), Outcome.PASS, seen + " (" + bound + ")")
                : new Verdict(x.id(), Outcome.FAIL, seen + ", expected " + bound);
    }

    private static Verdict queues(Demand x, Observation o) {
        if (!o.hasMq()) {
            return new Verdict(x.id(), Outcome.SKIP, "the backend lacks the MQ protocol feature: without GET_QUEUE_NUM a"
                    + " front end cannot learn how many queues it has");
        }
        if (o.queueError() != null) {
            return new Verdict(x.id(), Outcome.FAIL, "GET_QUEUE_NUM failed: " + o.queueError());
        }
        String seen = "GET_QUEUE_NUM reports " + o.queueNum();
        String bound = x.op().symbol() + " " + x.value();
        return x.op().holds(BigInteger.valueOf(o.queueNum()).compareTo(x.value()))
                ? new Verdict(x.id(), Outcome.PASS, seen + " (" + bound + ")")
                : new Verdict(x.id(), Outcome.FAIL, seen + ", expected " + bound);
    }

    /** An unsigned value of {@code size} bytes: little-endian (le and virtio scalars of a 1.x device) unless big. */
    static BigInteger unsigned(byte[] b, int offset, int size, boolean big) {
        byte[] msbFirst = new byte[size];
        for (int i = 0; i < size; i++) {
            msbFirst[i] = big ? b[offset + i] : b[offset + size - 1 - i];
        }
        return new BigInteger(1, msbFirst);
    }
}
