package dev.avps.generator.docs;

import dev.avps.model.PlatformModel;
import dev.avps.model.PlatformModel.Demand;
import dev.avps.model.PlatformModel.DeviceEntry;
import dev.avps.model.PlatformModel.Rule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a platform statement can be observed: what the guest probe reads, what a host check asks a
 * backend, or why nothing can. Kept in one place so the docs and any later report describe a
 * statement's evidence in the same words.
 *
 * @param guestProbe   what the probe running in the guest reads, or null when it cannot
 * @param hostCheck    what a host-side check asks a backend, or null when it cannot
 * @param notCheckable why neither side can observe it (a platform requirement's own reason), or null
 */
public record PlatformObservation(String guestProbe, String hostCheck, String notCheckable) {

    /** The guest sees which bus each virtio device hangs off; a backend does not know. */
    public static PlatformObservation transport() {
        return new PlatformObservation("sysfs: the bus each virtio device sits on", null, null);
    }

    public static PlatformObservation presence() {
        return new PlatformObservation("device IDs in /sys/bus/virtio/devices",
                "a configuration's backend sockets", null);
    }

    public static PlatformObservation demand(Demand.Kind kind) {
        return switch (kind) {
            // virtio-mmio shows only what the driver accepted, so a bit the driver ignores is invisible there.
            case OFFER -> new PlatformObservation("virtio-pci: the device's offered feature bits read through the"
                    + " common configuration; virtio-mmio: negotiated bits only", "vhost-user GET_FEATURES", null);
            case CONFIG -> new PlatformObservation("virtio-pci device configuration", "vhost-user GET_CONFIG", null);
            case QUEUES -> new PlatformObservation("virtio-pci num_queues",
                    "GET_QUEUE_NUM when the backend offers the MQ protocol feature", null);
            // The front end picks each queue's size and tells the backend, so asking the backend proves nothing.
            case QUEUE_SIZE -> new PlatformObservation("each queue's size as the front end set it up (no host check:"
                    + " the front end chooses the size a backend gets)", null, null);
        };
    }

    public static PlatformObservation rule(Rule r) {
        if (r.notCheckableReason() != null) {
            return new PlatformObservation(null, null, r.notCheckableReason());
        }
        return new PlatformObservation(r.checks().isEmpty() ? null : String.join(", ", r.checks()), null, null);
    }

    /** Every statement of the platform by its ID, in the order of {@link PlatformModel#statements()}. */
    public static Map<String, PlatformObservation> byStatement(PlatformModel p) {
        Map<String, PlatformObservation> out = new LinkedHashMap<>();
        if (!p.transports().isEmpty()) {
            out.put(p.name() + ".transport", transport());
        }
        for (DeviceEntry d : p.devices()) {
            out.put(d.presenceId(), presence());
            for (Demand x : d.demands()) {
                out.put(x.id(), demand(x.kind()));
            }
        }
        for (Rule r : p.rules()) {
            out.put(r.id(), rule(r));
        }
        return out;
    }

    /**
     * The observation in one line, e.g. "guest probe: virtio-pci num_queues; host check: GET_QUEUE_NUM
     * when ..." or "not checkable: a build setting"; "unstated" for a requirement that names no check.
     */
    public String text() {
        if (notCheckable != null) {
            return "not checkable: " + notCheckable;
        }
        if (guestProbe == null && hostCheck == null) {
            return "unstated";
        }
        String guest = guestProbe == null ? "" : "guest probe: " + guestProbe;
        String host = hostCheck == null ? "" : "host check: " + hostCheck;
        return guest + (guest.isEmpty() || host.isEmpty() ? "" : "; ") + host;
    }
}
