package dev.avps.model;

import java.util.List;

/**
 * A normative statement: who must (or should, or may) do what, where the spec says so, and how a
 * conformance run tests it.
 *
 * @param section            the spec section number the statement comes from (e.g. "5.2.6.2"), or null
 * @param checks             the names of the hand-written conformance checks that test it
 * @param notCheckableReason why a front end cannot observe it, or null
 * @param expectations       bounds on config fields written next to it ({@code expect config ...}),
 *                           which a conformance runner evaluates as one check, {@link #inlineCheck()}
 */
public record RequirementModel(String id, Party party, Level level, boolean negated, String target, String text,
        String section, List<String> checks, String notCheckableReason, List<Expectation> expectations) {

    public enum Party { DRIVER, DEVICE }

    public enum Level { MUST, SHOULD, MAY }

    /** How a conformance run treats the requirement. */
    public enum Status {
        /** Named checks, or its inline expectations, test it. */
        CHECKED,
        /** A front end without a guest cannot observe it; the reason says why. */
        NOT_CHECKABLE,
        /** The spec says neither. */
        UNSTATED
    }

    public RequirementModel {
        checks = List.copyOf(checks);
        expectations = List.copyOf(expectations);
    }

    /** A requirement without inline expectations. */
    public RequirementModel(String id, Party party, Level level, boolean negated, String target, String text,
            String section, List<String> checks, String notCheckableReason) {
        this(id, party, level, negated, target, text, section, checks, notCheckableReason, List.of());
    }

    /** A requirement without section or status (built by hand, e.g. in tests). */
    public RequirementModel(String id, Party party, Level level, boolean negated, String target, String text) {
        this(id, party, level, negated, target, text, null, List.of(), null, List.of());
    }

    /**
     * The name a conformance run reports the inline expectations under, {@code <id>_expect}, or
     * null when there are none. Derived, so the catalog never spells it.
     */
    public String inlineCheck() {
        return expectations.isEmpty() ? null : id + "_expect";
    }

    /** Every check that tests the requirement: the inline one first, then those named by {@code checked by}. */
    public List<String> checkNames() {
        if (expectations.isEmpty()) {
            return checks;
        }
        List<String> out = new java.util.ArrayList<>(List.of(inlineCheck()));
        out.addAll(checks);
        return List.copyOf(out);
    }

    /** The RFC 2119 keyword as it reads in prose, e.g. "MUST NOT". */
    public String keyword() {
        return negated ? level + " NOT" : level.toString();
    }

    public Status status() {
        if (!checks.isEmpty() || !expectations.isEmpty()) {
            return Status.CHECKED;
        }
        return notCheckableReason != null ? Status.NOT_CHECKABLE : Status.UNSTATED;
    }

    /**
     * The status as documents print it: "expect ngpio >= 1", "checked by a, b" (both, joined by
     * "; "), "not checkable: why" or "unstated".
     */
    public String statusText() {
        return switch (status()) {
            case CHECKED -> String.join("; ", java.util.stream.Stream.of(
                    expectations.isEmpty() ? null : "expect " + expectationText(),
                    checks.isEmpty() ? null : "checked by " + String.join(", ", checks))
                    .filter(java.util.Objects::nonNull).toList());
            case NOT_CHECKABLE -> "not checkable: " + notCheckableReason;
            case UNSTATED -> "unstated";
        };
    }

    /** The inline expectations as written, joined by ", " ("guest_cid >= 3, guest_cid < 0xffffffff"). */
    public String expectationText() {
        return String.join(", ", expectations.stream().map(Expectation::text).toList());
    }
}
