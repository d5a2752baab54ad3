package dev.avps.cli;

import java.util.Map;
import java.util.Optional;

/**
 * QEMU's dedicated vhost-user front ends (PCI) by catalog device, with the oldest QEMU release
 * we have seen list each one in {@code qemu-system-x86_64 -device help}: Debian 12's 7.2.22 and
 * the interop lab's 11.1.3. This is knowledge about QEMU, not about VIRTIO, so it lives here and
 * not in the catalog. A device without an entry (console, balloon, can...) goes through
 * {@code vhost-user-test-device-pci}, which takes any device ID given the numbers the model
 * derives; 11.1 is the oldest release we have seen with it.
 */
final class QemuFrontEnds {

    /** A front end and the QEMU release (major * 100 + minor) it is known from. */
    record FrontEnd(String name, int since) {
    }

    static final String GENERIC = "vhost-user-test-device-pci";
    static final int GENERIC_SINCE = 1101;

    private static final Map<String, FrontEnd> BY_DEVICE = Map.ofEntries(
            Map.entry("blk", new FrontEnd("vhost-user-blk-pci", 702)),
            Map.entry("fs", new FrontEnd("vhost-user-fs-pci", 702)),
            Map.entry("scsi", new FrontEnd("vhost-user-scsi-pci", 702)),
            Map.entry("gpio", new FrontEnd("vhost-user-gpio-pci", 702)),
            Map.entry("i2c", new FrontEnd("vhost-user-i2c-pci", 702)),
            Map.entry("input", new FrontEnd("vhost-user-input-pci", 702)),
            Map.entry("rng", new FrontEnd("vhost-user-rng-pci", 702)),
            Map.entry("gpu", new FrontEnd("vhost-user-gpu-pci", 702)),
            Map.entry("vsock", new FrontEnd("vhost-user-vsock-pci", 702)),
            // virtio-net's vhost-user end is a netdev, not a device of its own.
            Map.entry("net", new FrontEnd("virtio-net-pci", 702)),
            Map.entry("spi", new FrontEnd("vhost-user-spi-pci", 1101)),
            Map.entry("sound", new FrontEnd("vhost-user-snd-pci", 1101)),
            Map.entry("rtc", new FrontEnd("vhost-user-rtc-pci", 1101)));

    private QemuFrontEnds() {
    }

    static Optional<FrontEnd> of(String device) {
        return Optional.ofNullable(BY_DEVICE.get(device));
    }

    /** "7.2" -> 702, "11.1.3" -> 1101; -1 when it is no version. */
    static int release(String version) {
        String[] p = version.split("\\.");
        try {
            int major = Integer.parseInt(p[0]);
            int minor = p.length > 1 ? Integer.parseInt(p[1]) : 0;
            return major >= 0 && minor >= 0 && minor < 100 ? major * 100 + minor : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String name(int release) {
        return release / 100 + "." + release % 100;
    }
}
