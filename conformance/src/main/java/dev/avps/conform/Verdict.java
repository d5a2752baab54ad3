package dev.avps.conform;

/** What one check concluded about a backend. */
public enum Verdict {
    /** The backend did what the requirement asks. */
    PASSED,
    /** The backend broke the requirement (or hung, or died while being checked): the reason says how. */
    FAILED,
    /** The requirement does not apply: the backend does not offer what it is about (a feature, a field). */
    SKIPPED,
    /** It applies, but the transport gives this front end no way to observe it (e.g. no config access). */
    NOT_CHECKABLE;

    /** Lower case, as the reports print it. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
