package dev.avps.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A guest kernel for tier 4 devices: Linux 7.3 from the interop lab's linux-source-7.3 archive
 * (trixie-backports, unpacked by .ci/lab at usr/src), built with this machine's make and gcc
 * (Debian 12's gcc 12 builds 7.3) from tinyconfig plus guest/tier4.config: the virtio gpio and
 * i2c drivers tier 2's tests boot it for (on the host's QEMU 7.2), and the virtio RTC (its PTP clocks and RTC class interface), SPI (with spidev) and
 * CAN drivers, which Debian's own 7.3 image leaves unset. Every driver is built in, so the guest
 * loads no modules; {@link Guest#labBuiltIn} boots it with the lab's QEMU 11.
 *
 * <p>Built once per machine and cached by {@link KernelBuild}. Measured on this 2-core machine
 * shared with other builds (load average 11-18 for most of it): unpacking and configuring about
 * 4.5 minutes, {@code make bzImage} 1,631 s wall (978 s user, 105 s system); a 2 MB bzImage.
 */
final class TierFourKernel {

    static final String SOURCE = "usr/src/linux-source-7.3.tar.xz";

    private TierFourKernel() {
    }

    static synchronized Path get() throws Exception {
        Path source = Lab.root().resolve(SOURCE);
        Guest.require(Files.isRegularFile(source), "the interop lab has no " + SOURCE + " (an older lab? .ci/lab"
                + " installs linux-source-7.3)");
        return KernelBuild.get(source, "tier4", List.of(
                "VIRTIO_PCI", "SERIAL_8250_CONSOLE",
                "GPIO_VIRTIO", "GPIO_CDEV", "GPIO_SYSFS", "I2C_VIRTIO", "I2C_CHARDEV",
                "POSIX_TIMERS", "PTP_1588_CLOCK", "RTC_CLASS", "VIRTIO_RTC", "VIRTIO_RTC_PTP", "VIRTIO_RTC_CLASS",
                "SPI", "SPI_MASTER", "SPI_VIRTIO", "SPI_SPIDEV",
                "NET", "UNIX", "NETDEVICES", "CAN", "CAN_RAW", "CAN_DEV", "CAN_NETLINK", "CAN_VIRTIO_CAN"));
    }
}
