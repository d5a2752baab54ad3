package dev.avps.dsl.validation;

import java.util.Set;

/** Reserved words of the languages the generator writes; a spec name must not be one of them. */
public final class Keywords {

    /** C11 keywords plus the type names Linux uapi headers use for wire types. */
    public static final Set<String> C = Set.of("auto", "break", "case", "char", "const", "continue", "default", "do",
            "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
            "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
            "unsigned", "void", "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex",
            "_Generic", "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local", "__u8", "__le16", "__le32",
            "__le64", "__be16", "__be32", "__be64", "__u16", "__u32", "__u64");

    /** Java 17 reserved keywords and literals (contextual words such as record or var are usable). */
    public static final Set<String> JAVA = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch",
            "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
            "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
            "native", "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
            "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile",
            "while", "true", "false", "null", "_");

    private Keywords() {
    }

    /** A name that is free in both languages, for the quick fix. */
    public static String escape(String name) {
        String candidate = name + "_";
        while (C.contains(candidate) || JAVA.contains(candidate)) {
            candidate += "_";
        }
        return candidate;
    }
}
