package dev.avps.conform;

/** Thrown by a check body that cannot or need not run: verdict SKIPPED or NOT_CHECKABLE with the reason. */
public final class Inapplicable extends Exception {
    private static final long serialVersionUID = 1L;

    private final Verdict verdict;

    private Inapplicable(Verdict verdict, String reason) {
        super(reason);
        this.verdict = verdict;
    }

    /** The requirement does not apply to this backend (a feature it does not offer, a field it lacks). */
    public static Inapplicable skip(String reason) {
        return new Inapplicable(Verdict.SKIPPED, reason);
    }

    /** The requirement applies but cannot be observed through this transport. */
    public static Inapplicable notCheckable(String reason) {
        return new Inapplicable(Verdict.NOT_CHECKABLE, reason);
    }

    public Verdict verdict() {
        return verdict;
    }
}
