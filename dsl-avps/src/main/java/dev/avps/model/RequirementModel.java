package dev.avps.model;

/** A normative statement: who must (or should, or may) do what. */
public record RequirementModel(String id, Party party, Level level, boolean negated, String target, String text) {

    public enum Party { DRIVER, DEVICE }

    public enum Level { MUST, SHOULD, MAY }

    /** The RFC 2119 keyword as it reads in prose, e.g. "MUST NOT". */
    public String keyword() {
        return negated ? level + " NOT" : level.toString();
    }
}
