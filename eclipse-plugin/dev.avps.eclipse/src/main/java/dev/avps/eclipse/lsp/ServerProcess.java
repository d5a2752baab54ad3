package dev.avps.eclipse.lsp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The language server as a child process speaking LSP over its stdin and stdout. */
public final class ServerProcess implements ServerConnection {
    private final List<String> command;
    private Process process;

    /** A connection that runs {@code command} when started. */
    public ServerProcess(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** The command line this connection runs. */
    public List<String> command() {
        return command;
    }

    @Override
    public synchronized void start() throws IOException {
        if (process == null || !process.isAlive()) {
            process = new ProcessBuilder(command).start();
        }
    }

    @Override
    public synchronized InputStream getInputStream() {
        return process == null ? null : process.getInputStream();
    }

    @Override
    public synchronized OutputStream getOutputStream() {
        return process == null ? null : process.getOutputStream();
    }

    @Override
    public synchronized InputStream getErrorStream() {
        return process == null ? null : process.getErrorStream();
    }

    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        // LSP4E sends shutdown/exit first; this only cleans up a server that did not listen.
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }
}
