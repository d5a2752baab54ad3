package dev.avps.conform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code avps conform --respawn CMD}: runs CMD with {@code sh -c} whenever the backend is not
 * listening. Whether it listens is read from /proc/net/unix: probing by connecting would use up
 * the one connection such a backend serves. Its output goes to a log file (or is dropped).
 */
final class ShellLauncher implements Launcher {
    private final String command;
    private final Path socket;
    private final Path log;
    private final long listenMillis;
    private Process process;
    private int starts;

    ShellLauncher(String command, Path socket, Path log, long listenMillis) {
        this.command = command;
        this.socket = socket.toAbsolutePath();
        this.log = log;
        this.listenMillis = listenMillis;
    }

    @Override
    public synchronized void start() throws IOException {
        close();
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(true);
        if (log == null) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        } else {
            Files.createDirectories(log.toAbsolutePath().getParent());
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        process = pb.start();
        starts++;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(listenMillis);
        while (!listening(socket)) {
            if (!process.isAlive()) {
                throw new IOException("--respawn command exited with status " + process.exitValue()
                        + " before listening on " + socket + (log == null ? "" : " (its output: " + log + ")"));
            }
            if (System.nanoTime() - deadline > 0) {
                close();
                throw new IOException("--respawn command did not listen on " + socket + " within " + listenMillis
                        + " ms");
            }
            sleep(20);
        }
    }

    /** How many times the command was started (the report states it). */
    synchronized int starts() {
        return starts;
    }

    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        // The shell's children first (the backend itself), then the shell.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** A listening unix socket bound to {@code socket}, per /proc/net/unix (flag __SO_ACCEPTCON). */
    static boolean listening(Path socket) throws IOException {
        String path = socket.toAbsolutePath().toString();
        for (String line : Files.readAllLines(Path.of("/proc/net/unix"), StandardCharsets.UTF_8)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 8 && f[7].equals(path) && (Integer.parseInt(f[3], 16) & 0x10000) != 0) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the backend to listen");
        }
    }
}
