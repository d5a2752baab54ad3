package dev.avps.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The interop lab (.ci/lab): a Debian trixie root with QEMU 11, qemu-img and qemu-storage-daemon
 * with the libblkio driver, virtiofsd and Linux 7.3, built once per machine and run by chroot.
 * Tools started through {@link #command} see the listed host directories at the same paths, so
 * sockets, images and initramfs files need no translation; guest RAM (memfd) and eventfds cross
 * the chroot boundary over the unix sockets like anywhere else.
 *
 * <p>Building the lab needs root, debootstrap and the Debian mirror. When it cannot be built the
 * tests that need it are skipped with the reason, and fail with it under CI=true.
 *
 * <p>Public, with the members the blk benchmark drivers call, because those drivers live in the
 * benchmarks module and reach this class through generated-devices' test jar.
 */
public final class Lab {

    private static Path root;
    private static String failure;

    private Lab() {
    }

    /** The .ci/lab script of this checkout (the tests run in generated-devices). */
    static Path script() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve(".ci/lab");
            if (Files.isExecutable(s)) {
                return s;
            }
        }
        return null;
    }

    /** The lab's root directory, built on first use (2-3 minutes on a new machine). */
    static synchronized Path root() throws IOException, InterruptedException {
        if (root == null && failure == null) {
            Path s = script();
            if (s == null) {
                failure = "no executable .ci/lab above " + Path.of("").toAbsolutePath();
            } else {
                Process p = new ProcessBuilder(s.toString(), "root").redirectErrorStream(false).start();
                // A new machine builds the root here; more than 20 minutes means something is stuck.
                byte[] err = new byte[0];
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor(20, TimeUnit.MINUTES)) {
                    err = p.getErrorStream().readAllBytes();
                } else {
                    p.destroyForcibly();
                }
                if (p.isAlive() || p.exitValue() != 0 || out.isEmpty()) {
                    failure = "the interop lab could not be built (.ci/lab root): "
                            + new String(err, StandardCharsets.UTF_8).trim();
                } else {
                    root = Path.of(out);
                }
            }
        }
        Guest.require(failure == null, failure);
        return root;
    }

    /**
     * A command run inside the lab with {@code binds} visible at the same paths. The process
     * started from it is the tool itself (the script execs it), so its PID, exit status and
     * signals are the tool's.
     */
    static ProcessBuilder command(List<Path> binds, String... cmd) throws IOException, InterruptedException {
        root();
        List<String> c = new ArrayList<>(List.of(script().toString(), "run"));
        for (Path b : binds) {
            c.add("--bind");
            c.add(b.toAbsolutePath().toString());
        }
        c.add("--");
        c.addAll(List.of(cmd));
        return new ProcessBuilder(c);
    }

    /** A finished tool: its exit status and what it printed (stdout and stderr together). */
    record Result(int exit, String output) {
    }

    /** Runs a tool in the lab to completion, whatever its exit status. */
    static Result exec(List<Path> binds, int timeoutSeconds, String... cmd) throws Exception {
        Process p = command(binds, cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Runs a tool in the lab that must succeed and returns its output. */
    public static String run(List<Path> binds, int timeoutSeconds, String... cmd) throws Exception {
        Result r = exec(binds, timeoutSeconds, cmd);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed with exit code " + r.exit() + ":\n"
                    + r.output());
        }
        return r.output();
    }

    /** The lab's Linux kernel image (Debian's 7.3 from trixie-backports, unpacked), as a host path. */
    static Path kernel() throws IOException, InterruptedException {
        Path modules = root().resolve("usr/lib/modules");
        try (Stream<Path> s = Files.list(modules)) {
            Path k = s.map(d -> d.resolve("vmlinuz")).filter(Files::isRegularFile).max(Comparator.naturalOrder())
                    .orElse(null);
            Guest.require(k != null, "the lab has no kernel in " + modules);
            return k;
        }
    }
}
