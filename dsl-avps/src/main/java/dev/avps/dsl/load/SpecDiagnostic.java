package dev.avps.dsl.load;

import java.util.Comparator;

/**
 * One finding about a spec, positioned for humans and tools: {@code file:line:column}, 1-based.
 * Ordered by file, then position, then severity, so output is stable across runs.
 *
 * <p>File and message are made single-line and short by {@link OneLine} when the finding is
 * created, so every consumer (text output, JSON, the Maven plugin) gets the same safe text and
 * {@link #toString()} is always exactly one line.
 */
public record SpecDiagnostic(String file, int line, int column, Severity severity, String message, String code)
        implements Comparable<SpecDiagnostic> {

    public SpecDiagnostic {
        file = OneLine.of(file);
        message = OneLine.of(message);
        line = Math.max(1, line);
        column = Math.max(1, column);
        severity = severity == null ? Severity.ERROR : severity;
    }

    public enum Severity {
        ERROR, WARNING, INFO;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Comparator<SpecDiagnostic> ORDER = Comparator.comparing(SpecDiagnostic::file)
            .thenComparingInt(SpecDiagnostic::line).thenComparingInt(SpecDiagnostic::column)
            .thenComparing(SpecDiagnostic::severity).thenComparing(SpecDiagnostic::message);

    @Override
    public int compareTo(SpecDiagnostic o) {
        return ORDER.compare(this, o);
    }

    /** The compiler-style line: {@code file:line:col: error: message}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + severity.label() + ": " + message;
    }
}
