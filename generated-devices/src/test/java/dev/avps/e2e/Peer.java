package dev.avps.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A running third-party vhost-user peer (qemu-storage-daemon, virtiofsd, DPDK testpmd): one
 * process serving one unix socket, its output captured in a log file. {@link #start} returns once
 * the socket listens, so a test can connect straight away; {@link #close} stops the process
 * (SIGTERM, then SIGKILL after ten seconds) and removes a socket it left behind.
 *
 * <p>Started through {@link Lab#command} the process is the tool itself (the lab script execs
 * it), so {@link #cpuSeconds} counts the tool's own CPU time.
 *
 * <p>Public, with the members the blk benchmark drivers call, because those drivers live in the
 * benchmarks module and reach this class through generated-devices' test jar.
 */
public final class Peer implements AutoCloseable {

    /** /proc's clock ticks per second (USER_HZ), 100 on every Linux x86-64 build. */
    private static final double TICKS = 100.0;

    private final String name;
    private final Process process;
    private final Path socket;
    private final Path log;

    private Peer(String name, Process process, Path socket, Path log) {
        this.name = name;
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /**
     * Starts {@code command}, logging to {@code log}, and waits up to {@code timeoutSeconds} for a
     * listening socket at {@code socket}. Stdin stays open: testpmd, for one, exits at its end.
     */
    static Peer start(String name, ProcessBuilder command, Path socket, Path log, int timeoutSeconds)
            throws IOException, InterruptedException {
        return start(name, command, socket, log, timeoutSeconds, null);
    }

    /**
     * The same for a process that says when it listens: ready once {@code readyLine} is in its log
     * and the socket file exists. Our own server binds a temporary name and renames it into place
     * (so the socket never exists with a wider mode), which /proc/net/unix does not follow.
     */
    public static Peer start(String name, ProcessBuilder command, Path socket, Path log, int timeoutSeconds,
            String readyLine) throws IOException, InterruptedException {
        Files.deleteIfExists(socket);
        Process p = command.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Peer peer = new Peer(name, p, socket, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (readyLine == null ? !listening(socket) : !(peer.log().contains(readyLine) && Files.exists(socket))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String why = p.isAlive() ? "did not listen on " + socket + " within " + timeoutSeconds + " s"
                        : "exited with code " + p.exitValue() + " before listening on " + socket;
                peer.close();
                throw new IOException(name + " " + why + "; its log:\n" + peer.log());
            }
            Thread.sleep(20);
        }
        return peer;
    }

    /**
     * Whether a unix socket listens at this path: /proc/net/unix lists it with the accepting flag
     * (0x10000). Looking is enough; connecting would use up the single connection some peers
     * (virtiofsd) accept.
     */
    static boolean listening(Path socket) throws IOException {
        String path = socket.toAbsolutePath().toString();
        for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 8 && f[7].equals(path) && (Integer.parseInt(f[3], 16) & 0x10000) != 0) {
                return true;
            }
        }
        return false;
    }

    public String name() {
        return name;
    }

    public Path socket() {
        return socket;
    }

    long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** User plus system CPU seconds the process has used so far, from /proc/PID/stat. */
    public double cpuSeconds() throws IOException {
        return cpuSeconds(process.pid());
    }

    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may hold spaces; fields are counted after its closing paren.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
    }

    /** What the peer printed so far. */
    public String log() throws IOException {
        return Files.isRegularFile(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(socket);
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", " + socket + ")";
    }
}
