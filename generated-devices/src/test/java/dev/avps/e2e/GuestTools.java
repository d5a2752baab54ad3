package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Small C programs a guest test runs inside the guest, kept as test resources (guest/NAME.c) and
 * compiled with the host's gcc, statically, so the busybox initramfs needs no C library.
 */
final class GuestTools {

    private GuestTools() {
    }

    /** Compiles guest/NAME.c in {@code dir} with every warning an error; returns the executable's bytes. */
    static byte[] compile(Path dir, String name) throws Exception {
        Guest.require(Guest.onPath("gcc"), "gcc is not installed");
        Path src = dir.resolve(name + ".c");
        try (InputStream in = GuestTools.class.getResourceAsStream("/guest/" + name + ".c")) {
            Files.write(src, in.readAllBytes());
        }
        Path exe = dir.resolve(name);
        Process gcc = new ProcessBuilder("gcc", "-static", "-O2", "-Wall", "-Werror", "-o", exe.toString(),
                src.toString()).redirectErrorStream(true).start();
        String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor(120, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc -static " + name + ".c: " + log);
        return Files.readAllBytes(exe);
    }
}
