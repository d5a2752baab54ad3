package dev.avps.devices.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Connects a console to a pair of host streams, as {@code avps-serve --device console} does with
 * stdin and stdout: what the host's input holds goes to the guest's port 0, and what the guest
 * writes on any port comes out on the output, byte for byte.
 */
public final class ConsoleStdio {

    private ConsoleStdio() {
    }

    /** Starts a daemon thread feeding {@code in} to port 0 and sends every port's output to {@code out}. */
    public static Thread bridge(ConsoleDevice console, InputStream in, OutputStream out) {
        console.onOutput((port, data) -> {
            synchronized (out) {
                try {
                    out.write(data);
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException("console output", e);
                }
            }
        });
        Thread feeder = new Thread(() -> feed(console, in), "avps-console-stdin");
        feeder.setDaemon(true);
        feeder.start();
        return feeder;
    }

    /**
     * Copies {@code in} to port 0 until it ends. A guest that is not reading makes the copy wait
     * (the port's queue is bounded) instead of losing bytes.
     */
    static void feed(ConsoleDevice console, InputStream in) {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                byte[] chunk = Arrays.copyOf(buf, n);
                while (!console.send(0, chunk)) {
                    Thread.sleep(20);
                }
            }
        } catch (IOException e) {
            System.err.println("avps-serve: console input: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
