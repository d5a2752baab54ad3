package dev.avps.conform.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The line format the host checks and the guest probe share, so one report tool can merge both:
 * {@code AVPS-VERDICT<TAB>id<TAB>pass|fail|skip<TAB>detail} per statement, then
 * {@code AVPS-SUMMARY<TAB>platform<TAB>side<TAB>pass|fail}. A detail is one line without tabs.
 */
public final class Verdicts {
    public static final String VERDICT = "AVPS-VERDICT";
    public static final String SUMMARY = "AVPS-SUMMARY";
    /** The side these checks observe from; the guest probe writes its own. */
    public static final String HOST = "host";

    public enum Outcome {
        PASS, FAIL, SKIP;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Outcome of(String label) {
            for (Outcome o : values()) {
                if (o.label().equals(label)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("not a verdict: '" + label + "'");
        }
    }

    /** One statement's verdict. */
    public record Line(String id, Outcome outcome, String detail) {
        public String render() {
            return VERDICT + "\t" + id + "\t" + outcome.label() + "\t" + oneLine(detail);
        }
    }

    /** @param pass whether no MUST-level statement failed */
    public record Summary(String platform, String side, boolean pass) {
        public String render() {
            return SUMMARY + "\t" + platform + "\t" + side + "\t" + (pass ? "pass" : "fail");
        }
    }

    /** A parsed verdict file. */
    public record Parsed(List<Line> lines, Summary summary) {
    }

    private Verdicts() {
    }

    /** Tabs and line breaks would split a field or a line; they become spaces. */
    static String oneLine(String s) {
        return s.replaceAll("[\\t\\r\\n]+", " ").strip();
    }

    public static String render(List<Line> lines, Summary summary) {
        StringBuilder b = new StringBuilder();
        for (Line l : lines) {
            b.append(l.render()).append('\n');
        }
        return b.append(summary.render()).append('\n').toString();
    }

    /**
     * Writes the verdicts to {@code file} through a temporary file beside it, moved into place in
     * one step: a reader (the report tool, a CI job) never sees half a file.
     */
    public static void write(Path file, List<Line> lines, Summary summary) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, render(lines, summary), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads the format back, strictly: every line a verdict or the one summary at the end, with
     * exactly its fields. Lines of another kind (a probe's console chatter) are the caller's to drop.
     */
    public static Parsed parse(List<String> text) {
        List<Line> lines = new ArrayList<>();
        Summary summary = null;
        int n = 0;
        for (String raw : text) {
            n++;
            if (raw.isEmpty()) {
                continue;
            }
            if (summary != null) {
                throw new IllegalArgumentException("line " + n + ": after the summary: " + raw);
            }
            String[] f = raw.split("\t", -1);
            if (f[0].equals(VERDICT) && f.length == 4 && !f[1].isEmpty()) {
                lines.add(new Line(f[1], Outcome.of(f[2]), f[3]));
            } else if (f[0].equals(SUMMARY) && f.length == 4 && (f[3].equals("pass") || f[3].equals("fail"))) {
                summary = new Summary(f[1], f[2], f[3].equals("pass"));
            } else {
                throw new IllegalArgumentException("line " + n + ": not a verdict or summary line: " + raw);
            }
        }
        if (summary == null) {
            throw new IllegalArgumentException("no " + SUMMARY + " line");
        }
        return new Parsed(List.copyOf(lines), summary);
    }
}
