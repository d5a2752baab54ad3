package dev.avps.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A guest kernel for tier 2 devices, built from Debian's linux-source-6.1 with the virtio gpio and
 * i2c drivers built in (Debian's own kernels lack them). Built once per machine (about ten minutes
 * on two cores) and cached under ~/.cache/avps-forge, keyed by the config fragment and the source
 * archive, so later runs boot it straight away.
 */
final class TierTwoKernel {

    static final Path SOURCE = Path.of("/usr/src/linux-source-6.1.tar.xz");

    private TierTwoKernel() {
    }

    static synchronized Path get() throws Exception {
        Guest.require(Files.isRegularFile(SOURCE), "linux-source-6.1 is not installed");
        Guest.require(Guest.onPath("make") && Guest.onPath("gcc") && Guest.onPath("bison") && Guest.onPath("flex")
                && Guest.onPath("bc"), "the kernel build tools are not installed (make gcc bison flex bc libelf-dev)");
        byte[] fragment;
        try (InputStream in = TierTwoKernel.class.getResourceAsStream("/guest/tier2.config")) {
            fragment = in.readAllBytes();
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(fragment);
        md.update(Long.toString(Files.size(SOURCE)).getBytes());
        String key = HexFormat.of().formatHex(md.digest()).substring(0, 16);
        Path dir = Path.of(System.getProperty("user.home"), ".cache", "avps-forge", "kernel-" + key);
        Path image = dir.resolve("bzImage");
        Files.createDirectories(dir);
        try (FileChannel lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            if (Files.isRegularFile(image)) {
                return image;
            }
            Files.write(dir.resolve("tier2.config"), fragment);
            build(dir);
            return image;
        }
    }

    private static void build(Path dir) throws Exception {
        String script = String.join("\n",
                "set -euo pipefail",
                "cd '" + dir + "'",
                "rm -rf src && mkdir src && tar -xf " + SOURCE + " -C src --strip-components=1",
                "cd src",
                "make -s tinyconfig",
                "./scripts/kconfig/merge_config.sh -m .config ../tier2.config >/dev/null",
                "make -s olddefconfig",
                // merge_config drops options whose dependencies are missing; insist on the ones we need.
                "for o in VIRTIO_PCI GPIO_VIRTIO I2C_VIRTIO GPIO_SYSFS I2C_CHARDEV SERIAL_8250_CONSOLE; do",
                "  grep -q \"^CONFIG_$o=y\" .config || { echo \"CONFIG_$o did not survive olddefconfig\" >&2; exit 1; }",
                "done",
                "make -s -j\"$(nproc)\" bzImage",
                "cp arch/x86/boot/bzImage ../bzImage.tmp && mv ../bzImage.tmp ../bzImage",
                "cd .. && rm -rf src");
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true)
                .redirectOutput(dir.resolve("build.log").toFile()).start();
        if (!p.waitFor(45, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("the tier 2 kernel build failed; see " + dir.resolve("build.log") + ":\n"
                    + tail(dir.resolve("build.log")));
        }
    }

    private static String tail(Path log) throws IOException {
        var lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
