package dev.avps.model;

import java.util.List;

/**
 * A normative statement: who must (or should, or may) do what, where the spec says so, and how a
 * conformance run tests it.
 *
 * @param section            the spec section number the statement comes from (e.g. "5.2.6.2"), or null
 * @param checks             the names of the conformance checks that test it (empty unless
 *                           {@link Status#CHECKED})
 * @param notCheckableReason why a front end cannot observe it, or null
 */
public record RequirementModel(String id, Party party, Level level, boolean negated, String target, String text,
        String section, List<String> checks, String notCheckableReason) {

    public enum Party { DRIVER, DEVICE }

    public enum Level { MUST, SHOULD, MAY }

    /** How a conformance run treats the requirement. */
    public enum Status {
        /** Named checks test it. */
        CHECKED,
        /** A front end without a guest cannot observe it; the reason says why. */
        NOT_CHECKABLE,
        /** The spec says neither. */
        UNSTATED
    }

    public RequirementModel {
        checks = List.copyOf(checks);
    }

    /** A requirement without section or status (built by hand, e.g. in tests). */
    public RequirementModel(String id, Party party, Level level, boolean negated, String target, String text) {
        this(id, party, level, negated, target, text, null, List.of(), null);
    }

    /** The RFC 2119 keyword as it reads in prose, e.g. "MUST NOT". */
    public String keyword() {
        return negated ? level + " NOT" : level.toString();
    }

    public Status status() {
        if (!checks.isEmpty()) {
            return Status.CHECKED;
        }
        return notCheckableReason != null ? Status.NOT_CHECKABLE : Status.UNSTATED;
    }

    /** The status as documents print it: "checked by a, b", "not checkable: why" or "unstated". */
    public String statusText() {
        return switch (status()) {
            case CHECKED -> "checked by " + String.join(", ", checks);
            case NOT_CHECKABLE -> "not checkable: " + notCheckableReason;
            case UNSTATED -> "unstated";
        };
    }
}
