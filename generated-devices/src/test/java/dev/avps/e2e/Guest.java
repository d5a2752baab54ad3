package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.fail;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Linux guest for end-to-end tests: Debian's cloud kernel, a busybox initramfs built here with
 * the virtio modules a test asks for and the test's shell script as /init, booted under QEMU
 * (TCG, q35) with guest RAM shared through a memfd so vhost-user backends can reach it.
 *
 * <p>CI installs the packages (.ci/run). Elsewhere the tests are skipped when they are missing;
 * with CI=true a missing package fails the test, so tier 1 cannot silently stop running.
 *
 * <p>Public, with the members the blk benchmark drivers call, because those drivers live in the
 * benchmarks module and reach this class through generated-devices' test jar.
 */
public final class Guest {

    static final String BEGIN = "@@AVPS-BEGIN@@";
    static final String END = "@@AVPS-END@@";

    private final Path modules;
    /** The kernel's path as QEMU sees it (inside the lab it differs from the host's). */
    private String kernelArg;
    /** How QEMU is started, given the work directory: the host's own, or the lab's. */
    private Launcher launcher = work -> List.of("qemu-system-x86_64");
    private final Map<String, List<String>> deps;
    private final Set<String> load = new LinkedHashSet<>();
    private final List<String> qemuArgs = new ArrayList<>();
    private String kernelArgs = "";
    private int cpus = 1;
    private String script = "";
    private final Map<String, byte[]> extraFiles = new LinkedHashMap<>();
    /** Told each console line as it arrives (without its line end), on the console reader's thread. */
    private java.util.function.Consumer<String> lineListener = line -> { };

    private Guest(Path kernel, Path modules) throws IOException {
        this.kernelArg = kernel.toString();
        this.modules = modules;
        this.deps = modules == null ? Map.of() : readDeps(modules.resolve("modules.dep"));
    }

    /** A kernel with every driver built in (no modules to load), e.g. {@link TierFourKernel}'s, booted by the host's QEMU. */
    static Guest builtIn(Path kernel) throws IOException {
        require(onPath("qemu-system-x86_64"), "qemu-system-x86 is not installed");
        require(Files.isExecutable(Path.of("/bin/busybox")), "busybox-static is not installed");
        return new Guest(kernel, null);
    }

    /** The newest Debian cloud kernel on this machine, or a skipped/failed test explaining why. */
    public static Guest cloudKernel() throws IOException {
        Path boot = Path.of("/boot");
        Path kernel = null;
        if (Files.isDirectory(boot)) {
            try (Stream<Path> s = Files.list(boot)) {
                kernel = s.filter(p -> p.getFileName().toString().matches("vmlinuz-.*-cloud-amd64"))
                        .max(Comparator.naturalOrder()).orElse(null);
            }
        }
        require(kernel != null, "linux-image-cloud-amd64 is not installed");
        require(onPath("qemu-system-x86_64"), "qemu-system-x86 is not installed");
        require(Files.isExecutable(Path.of("/bin/busybox")), "busybox-static is not installed");
        String version = kernel.getFileName().toString().substring("vmlinuz-".length());
        Path mods = Path.of("/lib/modules", version);
        require(Files.isRegularFile(mods.resolve("modules.dep")), "no modules for kernel " + version);
        return new Guest(kernel, mods);
    }

    /**
     * Tier 3 and the QEMU 11 runs: Linux 7.3 (Debian's generic flavour from trixie-backports, with
     * the sound and input drivers as modules) booted by QEMU 11, both from the interop lab
     * ({@link Lab}). QEMU runs chrooted in the lab with the test's work directory bound at the same
     * path, so the initramfs and the sockets there need no translation.
     */
    static Guest lab() throws IOException, InterruptedException {
        Path kernel = Lab.kernel();
        require(Files.isExecutable(Path.of("/bin/busybox")), "busybox-static is not installed");
        require(onPath("xz"), "xz-utils is not installed (the lab kernel's modules are xz-compressed)");
        Path mods = kernel.getParent();
        require(Files.isRegularFile(mods.resolve("modules.dep")), "the lab has no modules.dep in " + mods);
        Guest g = new Guest(kernel, mods);
        g.kernelArg = "/" + Lab.root().relativize(kernel);
        g.launcher = work -> Lab.command(List.of(work), "qemu-system-x86_64").command();
        return g;
    }

    /**
     * A kernel with every driver built in (e.g. {@link TierFourKernel}'s) booted by the lab's QEMU 11.
     * The kernel's directory is bound into the lab beside the work directory, so the host path
     * is QEMU's path too.
     */
    static Guest labBuiltIn(Path kernel) throws IOException, InterruptedException {
        Lab.root();
        require(Files.isExecutable(Path.of("/bin/busybox")), "busybox-static is not installed");
        Guest g = new Guest(kernel, null);
        Path kernelDir = kernel.toAbsolutePath().getParent();
        g.launcher = work -> Lab.command(List.of(work, kernelDir), "qemu-system-x86_64").command();
        return g;
    }

    static void require(boolean ok, String why) {
        if (!ok) {
            if ("true".equals(System.getenv("CI"))) {
                fail(why + " (CI must install it: see .ci/run)");
            }
            Assumptions.abort(why + "; skipping the guest test (.ci/run installs it)");
        }
    }

    private static Map<String, List<String>> readDeps(Path file) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String mod = line.substring(0, colon);
            String rest = line.substring(colon + 1).trim();
            out.put(name(mod), rest.isEmpty() ? List.of() : List.of(rest.split("\\s+")));
            out.put(mod, out.get(name(mod)));
        }
        return out;
    }

    private static String name(String path) {
        String f = path.substring(path.lastIndexOf('/') + 1);
        return f.substring(0, f.indexOf(".ko")).replace('-', '_');
    }

    /** Loads a module (by its name, e.g. "virtio_rng") and, first, what it depends on. */
    public Guest module(String name) {
        String key = name.replace('-', '_');
        List<String> d = deps.get(key);
        if (d == null) {
            // Built into the kernel: nothing to load.
            return this;
        }
        String path = deps.keySet().stream().filter(k -> k.contains("/") && name(k).equals(key)).findFirst()
                .orElseThrow();
        // modules.dep lists dependencies nearest first; load the farthest first.
        for (int i = d.size() - 1; i >= 0; i--) {
            load.add(d.get(i));
        }
        load.add(path);
        return this;
    }

    /** An extra executable in the guest, e.g. a test client compiled for it. */
    Guest executable(String guestPath, byte[] content) {
        extraFiles.put(guestPath, content);
        return this;
    }

    /** Extra kernel command-line parameters, e.g. {@code memmap=} to steer where the guest's memory comes from. */
    Guest kernelArgs(String args) {
        kernelArgs = kernelArgs + " " + args;
        return this;
    }

    /** Virtual CPUs (default 1; each is a TCG thread, so more make a guest slower to boot on a busy host). */
    Guest cpus(int n) {
        cpus = n;
        return this;
    }

    /**
     * Hands each console line to {@code listener} the moment it arrives, so a test can stamp it
     * with the host's clock; {@link #boot} still returns the whole output at the end.
     */
    Guest onLine(java.util.function.Consumer<String> listener) {
        this.lineListener = listener;
        return this;
    }

    /** Extra QEMU arguments, e.g. a vhost-user chardev and device. */
    public Guest qemu(String... args) {
        qemuArgs.addAll(List.of(args));
        return this;
    }

    /** The guest-side check: shell run by /init between the output markers. */
    public Guest script(String shell) {
        this.script = shell;
        return this;
    }

    private void initramfs(Path out) throws IOException {
        Cpio cpio = new Cpio();
        for (String d : List.of("bin", "dev", "proc", "sys", "tmp", "lib", "lib/modules")) {
            cpio.dir(d);
        }
        cpio.file("bin/busybox", 0755, Files.readAllBytes(Path.of("/bin/busybox")));
        for (String tool : List.of("sh", "mount", "insmod", "cat", "head", "dd", "hexdump", "poweroff", "echo",
                "sleep", "ls", "sha256sum", "od", "tr", "wc", "sync", "grep", "mdev", "seq", "yes", "time", "i2cget",
                "i2cset", "i2ctransfer", "printf", "dmesg", "kill", "cmp", "stat", "cp", "mkdir", "ip", "ping", "nc", "sed", "rmmod", "awk")) {
            cpio.symlink("bin/" + tool, "busybox");
        }
        for (Map.Entry<String, byte[]> f : extraFiles.entrySet()) {
            cpio.file(f.getKey(), 0755, f.getValue());
        }
        StringBuilder init = new StringBuilder("#!/bin/sh\n")
                .append("mount -t proc proc /proc\nmount -t sysfs sys /sys\nmount -t devtmpfs dev /dev\n");
        int i = 0;
        for (String mod : load) {
            String target = "lib/modules/" + (i++) + "-" + mod.substring(mod.lastIndexOf('/') + 1);
            cpio.file(target.replaceFirst("\\.xz$", ""), 0644, moduleBytes(modules.resolve(mod)));
            init.append("insmod /").append(target.replaceFirst("\\.xz$", "")).append('\n');
        }
        init.append("echo ").append(BEGIN).append('\n').append(script).append('\n')
                .append("echo ").append(END).append('\n').append("poweroff -f\n");
        cpio.file("init", 0755, init.toString().getBytes(StandardCharsets.UTF_8));
        try (OutputStream o = Files.newOutputStream(out)) {
            cpio.writeGzipTo(o);
        }
    }

    /** busybox insmod loads plain ELF only; Debian's modules (6.12, 7.3) are xz-compressed. */
    private static byte[] moduleBytes(Path file) throws IOException {
        if (!file.toString().endsWith(".xz")) {
            return Files.readAllBytes(file);
        }
        Process xz = new ProcessBuilder("xz", "-dc", file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out = xz.getInputStream().readAllBytes();
        try {
            if (xz.waitFor() != 0) {
                throw new IOException("xz -dc " + file + " failed with exit code " + xz.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while decompressing " + file, e);
        }
        return out;
    }

    /**
     * Boots the guest and returns what the script printed between the markers.
     * Fails with the whole console log when the guest does not finish in time.
     */
    public String boot(Path workDir, int memoryMiB, int timeoutSeconds) throws IOException, InterruptedException {
        Path initrd = workDir.resolve("initrd.cpio.gz");
        initramfs(initrd);
        List<String> cmd = new ArrayList<>(launcher.command(workDir));
        cmd.addAll(List.of("-machine", "q35,accel=tcg", "-cpu", "max",
                "-smp", Integer.toString(cpus), "-m", memoryMiB + "M",
                "-object", "memory-backend-memfd,id=mem,size=" + memoryMiB + "M,share=on", "-numa", "node,memdev=mem",
                "-kernel", kernelArg, "-initrd", initrd.toString(),
                "-append", "console=ttyS0 quiet panic=-1" + kernelArgs,
                "-nographic", "-no-reboot", "-nodefaults", "-serial", "stdio"));
        cmd.addAll(qemuArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        Process qemu = pb.start();
        StringBuilder console = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (InputStream in = qemu.getInputStream()) {
                byte[] buf = new byte[8192];
                StringBuilder line = new StringBuilder();
                int n;
                while ((n = in.read(buf)) > 0) {
                    String chunk = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                    synchronized (console) {
                        console.append(chunk);
                    }
                    for (int i = 0; i < chunk.length(); i++) {
                        char c = chunk.charAt(i);
                        if (c == '\n') {
                            lineListener.accept(line.toString());
                            line.setLength(0);
                        } else if (c != '\r') {
                            line.append(c);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        boolean finished = qemu.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(5_000);
        String log;
        synchronized (console) {
            log = console.toString().replace("\r", "");
        }
        int b = log.indexOf(BEGIN + "\n");
        int e = log.indexOf(END);
        if (!finished || b < 0 || e < b) {
            fail("guest did not complete its checks" + (finished ? "" : " within " + timeoutSeconds + " s")
                    + "; console:\n" + log);
        }
        return log.substring(b + BEGIN.length() + 1, e);
    }

    /** The command that starts QEMU (before its arguments), for a guest working in {@code work}. */
    @FunctionalInterface
    interface Launcher {
        List<String> command(Path work) throws IOException, InterruptedException;
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
