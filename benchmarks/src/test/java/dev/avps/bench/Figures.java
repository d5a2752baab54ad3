package dev.avps.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the benchmark drivers share when they print: min / median / max of a row, the machine they
 * ran on, and the replacement of their own section of a BENCHMARKS.md file.
 */
public final class Figures {

    private Figures() {
    }

    /** "min / median / max", each in {@code fmt}. */
    public static String stats(double[] v, String fmt) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, fmt + " / " + fmt + " / " + fmt, s[0], median(s), s[s.length - 1]);
    }

    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The first line a command prints, or "?" when it cannot run. */
    public static String firstLine(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** "2 cores, Linux 6.x, load average at the end a b c; JDK n": the machine line of a report. */
    public static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + firstLine("uname", "-sr")
                + ", load average at the end "
                + String.join(" ", List.of(firstLine("cat", "/proc/loadavg").split(" ")).subList(0, 3)) + "; JDK "
                + System.getProperty("java.version");
    }

    /**
     * Replaces the section between {@code begin} and {@code end} (the markers included in
     * {@code section}) in {@code file}, or appends it, leaving the rest as it was; atomically.
     */
    public static void writeSection(Path file, String section, String begin, String end) throws IOException {
        String old = Files.exists(file) ? Files.readString(file) : "";
        int b = old.indexOf(begin);
        int e = old.indexOf(end);
        String updated = b >= 0 && e > b ? old.substring(0, b) + section + old.substring(e + end.length() + 1)
                : old + (old.isEmpty() || old.endsWith("\n\n") ? "" : "\n") + section;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, updated);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
