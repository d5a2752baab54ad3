package dev.avps.conform.platform;

import dev.avps.model.Verdict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The host checks' side of the verdict format ({@link Verdict}): rendering, an atomic write and a strict read:
 * {@code AVPS-VERDICT<TAB>id<TAB>pass|fail|skip<TAB>detail} per statement, then
 * {@code AVPS-SUMMARY<TAB>platform<TAB>side<TAB>pass|fail}. A detail is one line without tabs.
 */
public final class Verdicts {
    public static final String VERDICT = Verdict.TAG;
    public static final String SUMMARY = Verdict.SUMMARY_TAG;
    /** The side these checks observe from; the guest probe writes its own. */
    public static final String HOST = "host";

    /** @param pass whether no MUST-level statement failed */
    public record Summary(String platform, String side, boolean pass) {
        public String render() {
            return SUMMARY + "\t" + platform + "\t" + side + "\t" + (pass ? "pass" : "fail");
        }
    }

    /** A parsed verdict file. */
    public record Parsed(List<Verdict> lines, Summary summary) {
    }

    private Verdicts() {
    }

    public static String render(List<Verdict> lines, Summary summary) {
        StringBuilder b = new StringBuilder();
        for (Verdict l : lines) {
            b.append(l.line()).append('\n');
        }
        return b.append(summary.render()).append('\n').toString();
    }

    /**
     * Writes the verdicts to {@code file} through a temporary file beside it, moved into place in
     * one step: a reader (the report tool, a CI job) never sees half a file.
     */
    public static void write(Path file, List<Verdict> lines, Summary summary) throws IOException {
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
        List<Verdict> lines = new ArrayList<>();
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
                lines.add(new Verdict(f[1], Verdict.Outcome.of(f[2]), f[3]));
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
