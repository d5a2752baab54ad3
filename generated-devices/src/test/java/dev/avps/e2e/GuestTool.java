package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A guest program from src/test/resources/guest, compiled static on the host for the busybox initramfs. */
final class GuestTool {

    private GuestTool() {
    }

    /** Compiles {@code /guest/NAME.c} in {@code dir}, warnings as errors; returns the executable's bytes. */
    static byte[] compile(Path dir, String name) throws Exception {
        Guest.require(Guest.onPath("gcc"), "gcc is not installed (the guest tools are compiled static)");
        Path src = dir.resolve(name + ".c");
        try (InputStream in = GuestTool.class.getResourceAsStream("/guest/" + name + ".c")) {
            Files.write(src, in.readAllBytes());
        }
        Path exe = dir.resolve(name);
        Process gcc = new ProcessBuilder("gcc", "-static", "-O2", "-Wall", "-Werror", "-o", exe.toString(),
                src.toString()).redirectErrorStream(true).start();
        String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor(120, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc failed: " + log);
        return Files.readAllBytes(exe);
    }
}
