package dev.avps.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A guest kernel for tier 2 devices, built from Debian's linux-source-6.1 with the virtio gpio and
 * i2c drivers built in (Debian's own kernels lack them). Built once per machine (about ten minutes
 * on two cores) and cached by {@link KernelBuild}, so later runs boot it straight away.
 */
final class TierTwoKernel {

    static final Path SOURCE = Path.of("/usr/src/linux-source-6.1.tar.xz");

    private TierTwoKernel() {
    }

    static synchronized Path get() throws Exception {
        Guest.require(Files.isRegularFile(SOURCE), "linux-source-6.1 is not installed");
        return KernelBuild.get(SOURCE, "tier2",
                List.of("VIRTIO_PCI", "GPIO_VIRTIO", "I2C_VIRTIO", "GPIO_SYSFS", "I2C_CHARDEV", "SERIAL_8250_CONSOLE"));
    }
}
