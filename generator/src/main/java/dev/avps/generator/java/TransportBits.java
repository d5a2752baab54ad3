package dev.avps.generator.java;

import dev.avps.model.FeatureModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The transport feature bits of the prelude ({@code dsl-avps: avps/prelude/virtio.avps}).
 * {@code SpecModel.transportFeatures()} lists only feature sets declared in the loaded files, not
 * the prelude's, so the java targets fall back to this copy for bits the model does not carry.
 */
public final class TransportBits {

    private TransportBits() {
    }

    static final List<FeatureModel> PRELUDE = List.of(
            bit(24, "NOTIFY_ON_EMPTY", true, "Legacy: notify the driver when the available ring runs empty."),
            bit(27, "ANY_LAYOUT", true, "Legacy: the device accepts any framing of descriptors and headers."),
            bit(28, "INDIRECT_DESC", false, "Descriptors may point to tables of further descriptors."),
            bit(29, "EVENT_IDX", false, "Notification suppression through the used_event and avail_event fields."),
            bit(32, "VERSION_1", false, "The device follows VIRTIO 1.0 or later rather than the legacy interface."),
            bit(33, "ACCESS_PLATFORM", false, "The device sits behind an IOMMU or similar platform translation."),
            bit(34, "RING_PACKED", false, "Queues use the packed ring layout."),
            bit(35, "IN_ORDER", false, "Buffers are used in the order the driver made them available."),
            bit(36, "ORDER_PLATFORM", false, "Memory accesses need platform ordering (hardware devices)."),
            bit(37, "SR_IOV", false, "The device supports single-root I/O virtualization."),
            bit(38, "NOTIFICATION_DATA", false, "The driver passes extra data in its available-buffer notifications."),
            bit(39, "NOTIF_CONFIG_DATA", false, "The driver uses a device-provided value in its notifications."),
            bit(40, "RING_RESET", false, "The driver may reset individual queues."),
            bit(41, "ADMIN_VQ", false, "The device offers an administration virtqueue."));

    /** The model's transport bits, completed from the prelude copy where a bit number is missing. */
    public static List<FeatureModel> of(List<FeatureModel> fromModel) {
        List<FeatureModel> out = new ArrayList<>(fromModel);
        for (FeatureModel p : PRELUDE) {
            if (fromModel.stream().noneMatch(f -> f.bit() == p.bit())) {
                out.add(p);
            }
        }
        out.sort(java.util.Comparator.comparingInt(FeatureModel::bit));
        return out;
    }

    private static FeatureModel bit(int bit, String name, boolean legacy, String doc) {
        return new FeatureModel("transport", name, bit, doc, legacy, false,
                name.equals("ACCESS_PLATFORM") ? List.of("IOMMU_PLATFORM") : List.of(),
                bit == 28 || bit == 29 ? "VIRTIO_RING_F_" + name : "VIRTIO_F_" + name, null);
    }
}
