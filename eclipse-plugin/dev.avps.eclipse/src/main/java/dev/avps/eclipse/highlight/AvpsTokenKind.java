package dev.avps.eclipse.highlight;

/** The lexical classes the built-in highlighter tells apart; each maps to one TextMate scope. */
public enum AvpsTokenKind {
    /** Language keywords ({@code device}, {@code when}, ...): TextMate {@code keyword.other.avps}. */
    KEYWORD,
    /** Scalar types ({@code le32}, {@code virtio16}, ...): {@code storage.type.primitive.avps}. */
    TYPE,
    /** Fixed literals ({@code MUST}, {@code draft}, ...): {@code constant.language.avps}. */
    CONSTANT,
    /** Decimal and hexadecimal numbers. */
    NUMBER,
    /** Double-quoted strings. */
    STRING,
    /** {@code //} and {@code /* *\/} comments. */
    COMMENT,
    /** {@code /** *\/} documentation comments. */
    DOC_COMMENT,
    /** Any other name. */
    IDENTIFIER
}
