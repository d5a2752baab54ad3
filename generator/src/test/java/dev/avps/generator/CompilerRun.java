package dev.avps.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs gcc (or a program it built) and returns the output; a failure is an AssertionError with the output. */
public final class CompilerRun {

    private CompilerRun() {
    }

    public static boolean gccAvailable() {
        for (String d : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(d, "gcc"))) {
                return true;
            }
        }
        return false;
    }

    public static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed:\n" + text);
        }
        return text;
    }
}
