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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds a small guest kernel once per machine: a Debian linux-source archive, tinyconfig plus a
 * fragment from the test resources, every driver built in. The result is cached under
 * ~/.cache/avps-forge/kernel-KEY, KEY hashing the fragment and the archive's size, and the build
 * runs under a file lock there, so parallel test JVMs build it once and later runs boot it at once.
 * {@link TierFourKernel} says which source and fragment.
 */
final class KernelBuild {

    private KernelBuild() {
    }

    /**
     * The bzImage for {@code source} and the fragment {@code /guest/NAME.config}, built if needed.
     * {@code required} lists options (without CONFIG_) that must be {@code =y} after olddefconfig:
     * merge_config drops an option whose dependencies are missing without failing, and a kernel
     * without the driver under test would only show up as a guest that sees no device.
     */
    static Path get(Path source, String name, List<String> required) throws Exception {
        Guest.require(Guest.onPath("make") && Guest.onPath("gcc") && Guest.onPath("bison") && Guest.onPath("flex")
                && Guest.onPath("bc"), "the kernel build tools are not installed (make gcc bison flex bc libelf-dev)");
        byte[] fragment;
        try (InputStream in = KernelBuild.class.getResourceAsStream("/guest/" + name + ".config")) {
            fragment = in.readAllBytes();
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(fragment);
        md.update(Long.toString(Files.size(source)).getBytes());
        String key = HexFormat.of().formatHex(md.digest()).substring(0, 16);
        Path dir = Path.of(System.getProperty("user.home"), ".cache", "avps-forge", "kernel-" + key);
        Path image = dir.resolve("bzImage");
        Files.createDirectories(dir);
        try (FileChannel lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            if (Files.isRegularFile(image)) {
                return image;
            }
            Files.write(dir.resolve(name + ".config"), fragment);
            build(dir, source, name, required);
            return image;
        }
    }

    private static void build(Path dir, Path source, String name, List<String> required) throws Exception {
        // /usr/bin/time (when present) puts the compile's wall and CPU time at the end of build.log.
        String time = Files.isExecutable(Path.of("/usr/bin/time"))
                ? "/usr/bin/time -f 'bzImage: %e s wall, %U s user, %S s system' " : "";
        String script = String.join("\n",
                "set -euo pipefail",
                "cd '" + dir + "'",
                "rm -rf src && mkdir src && tar -xf '" + source + "' -C src --strip-components=1",
                "cd src",
                "make -s tinyconfig",
                "./scripts/kconfig/merge_config.sh -m .config ../" + name + ".config >/dev/null",
                "make -s olddefconfig",
                "for o in " + String.join(" ", required) + "; do",
                "  grep -q \"^CONFIG_$o=y\" .config || { echo \"CONFIG_$o did not survive olddefconfig\" >&2; exit 1; }",
                "done",
                "cp .config ../config",
                time + "make -s -j\"$(nproc)\" bzImage",
                "cp arch/x86/boot/bzImage ../bzImage.tmp && mv ../bzImage.tmp ../bzImage",
                "cd .. && rm -rf src");
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true)
                .redirectOutput(dir.resolve("build.log").toFile()).start();
        if (!p.waitFor(45, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("the " + name + " kernel build failed; see " + dir.resolve("build.log") + ":\n"
                    + tail(dir.resolve("build.log")));
        }
    }

    private static String tail(Path log) throws IOException {
        var lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
