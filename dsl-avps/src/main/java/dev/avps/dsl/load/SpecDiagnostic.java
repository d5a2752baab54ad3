package dev.avps.dsl.load;

import java.util.Comparator;

/**
 * One finding about a spec, positioned for humans and tools: {@code file:line:column}, 1-based.
 * Ordered by file, then position, then severity, so output is stable across runs.
 */
public record SpecDiagnostic(String file, int line, int column, Severity severity, String message, String code)
        implements Comparable<SpecDiagnostic> {

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
