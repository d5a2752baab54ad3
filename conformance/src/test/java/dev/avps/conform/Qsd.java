package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian 12's qemu-storage-daemon (7.2, package qemu-system-common) exporting a raw image as
 * vhost-user-blk, one queue, on a socket in a work directory; stopped by {@link #close}. Missing
 * binary: the test is skipped, or failed when CI=true (.ci/run installs it).
 */
final class Qsd implements AutoCloseable {
    static final String BINARY = "/usr/bin/qemu-storage-daemon";

    final Path socket;
    final Path log;
    private final Process process;

    private Qsd(Path socket, Path log, Process process) {
        this.socket = socket;
        this.log = log;
        this.process = process;
    }

    static Qsd start(Path dir, Path image, boolean writable) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            String why = BINARY + " is not installed (Debian package qemu-system-common)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + "; CI must install it: see .ci/run");
            }
            Assumptions.abort(why + "; skipping the run against qemu-storage-daemon 7.2");
        }
        Path sock = dir.resolve("qsd.sock");
        Path log = dir.resolve("qsd.log");
        Process p = new ProcessBuilder(List.of(BINARY,
                "--blockdev", "driver=file,node-name=file0,filename=" + image.toAbsolutePath(),
                "--blockdev", "driver=raw,node-name=disk0,file=file0",
                "--export", "type=vhost-user-blk,id=exp0,node-name=disk0,addr.type=unix,addr.path="
                        + sock.toAbsolutePath() + ",writable=" + (writable ? "on" : "off") + ",num-queues=1"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Qsd q = new Qsd(sock, log, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!listening(sock)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                q.close();
                throw new IOException("qemu-storage-daemon did not listen on " + sock + "; its log:\n"
                        + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return q;
    }

    /** Listening per /proc/net/unix (connecting to find out would use up the one connection it serves). */
    private static boolean listening(Path socket) throws IOException {
        String path = socket.toAbsolutePath().toString();
        for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 8 && f[7].equals(path) && (Integer.parseInt(f[3], 16) & 0x10000) != 0) {
                return true;
            }
        }
        return false;
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(socket);
    }
}
