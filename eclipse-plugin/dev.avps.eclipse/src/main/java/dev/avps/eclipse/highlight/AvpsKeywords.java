package dev.avps.eclipse.highlight;

import java.util.Set;
import java.util.TreeSet;

/**
 * The words of the .avps grammar (dsl-avps/src/main/java/dev/avps/dsl/Avps.xtext) by highlighting
 * class. A test compares them with the grammar file and with the TextMate grammar, so a keyword
 * added to the language without updating the editors fails the build.
 */
public final class AvpsKeywords {
    /** Structural keywords and the queue directions. */
    public static final Set<String> KEYWORDS = Set.of(
            "package", "import", "device", "id", "spec", "status", "c-name", "features", "legacy",
            "deprecated", "bit", "bits", "alias", "requires", "config", "struct", "size", "when",
            "readable", "writable", "reserved", "union", "select", "case", "enum", "const", "queues",
            "queue", "group", "count", "index", "request", "on", "where", "in", "requirement", "if",
            "else", "driver-to-device", "device-to-driver", "driver", "driver-writable", "extend", "section",
            "checked", "by", "not", "checkable", "expect", "platform", "version", "transports", "offer");

    /** The scalar types. */
    public static final Set<String> TYPES = Set.of(
            "u8", "le16", "le32", "le64", "be16", "be32", "be64", "virtio16", "virtio32", "virtio64");

    /** Requirement levels, negation and the spec status values. */
    public static final Set<String> CONSTANTS = Set.of(
            "MUST", "SHOULD", "MAY", "NOT", "standard", "draft", "proposal");

    private AvpsKeywords() {
    }

    /** Returns the highlighting class of {@code word}, or {@link AvpsTokenKind#IDENTIFIER}. */
    public static AvpsTokenKind classify(String word) {
        if (KEYWORDS.contains(word)) {
            return AvpsTokenKind.KEYWORD;
        }
        if (TYPES.contains(word)) {
            return AvpsTokenKind.TYPE;
        }
        if (CONSTANTS.contains(word)) {
            return AvpsTokenKind.CONSTANT;
        }
        return AvpsTokenKind.IDENTIFIER;
    }

    /** All highlighted words, sorted. */
    public static Set<String> all() {
        Set<String> all = new TreeSet<>(KEYWORDS);
        all.addAll(TYPES);
        all.addAll(CONSTANTS);
        return all;
    }
}
