package dev.avps.model;

import java.util.Locale;

/**
 * One platform statement's verdict as the guest probe and the host checks print it, one line
 * each: {@code AVPS-VERDICT<TAB>id<TAB>pass|fail|skip<TAB>detail}. After the verdicts a source
 * prints {@code AVPS-SUMMARY<TAB>platform<TAB>side<TAB>pass|fail}. Every tool that writes or reads
 * the format goes through here, so the two sides and the report cannot drift apart.
 *
 * @param detail what the source saw, on one line without tabs
 */
public record Verdict(String id, Outcome outcome, String detail) {

    public static final String TAG = "AVPS-VERDICT";
    public static final String SUMMARY_TAG = "AVPS-SUMMARY";

    public enum Outcome {
        PASS, FAIL, SKIP;

        /** How the line spells it: pass, fail, skip. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The outcome a line spells, or IllegalArgumentException saying what is wrong. */
        public static Outcome of(String label) {
            for (Outcome o : values()) {
                if (o.label().equals(label)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("outcome '" + label + "' is none of pass, fail, skip");
        }
    }

    public Verdict {
        detail = oneLine(detail == null ? "" : detail);
    }

    /** The line, without its line break. */
    public String line() {
        return TAG + "\t" + id + "\t" + outcome.label() + "\t" + detail;
    }

    /**
     * The verdict in the fields after the tag ({@code id<TAB>outcome[<TAB>detail]}), or
     * IllegalArgumentException saying what is wrong.
     */
    public static Verdict ofFields(String fields) {
        String[] f = fields.split("\t", 3);
        if (f.length < 2 || f[0].isBlank()) {
            throw new IllegalArgumentException("a verdict line needs an ID and an outcome");
        }
        return new Verdict(f[0].trim(), Outcome.of(f[1].trim()), f.length > 2 ? f[2].trim() : "");
    }

    /** Tabs and line breaks would split a field or a line; they become spaces. */
    public static String oneLine(String s) {
        return s.replaceAll("[\\t\\r\\n]+", " ").strip();
    }
}
