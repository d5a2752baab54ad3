package dev.avps.generator.c;

import dev.avps.model.ScalarType;
import java.util.Locale;

/**
 * The two C flavours: Linux uapi (kernel types such as {@code __le32}, Linux's names) and portable
 * C ({@code <stdint.h>} types, every identifier prefixed so it cannot collide with Linux's).
 */
public record CDialect(boolean linux, String prefix) {

    public static final CDialect LINUX = new CDialect(true, "");

    public static CDialect portable(String prefix) {
        if (!prefix.isEmpty() && !prefix.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not a C identifier prefix: " + prefix);
        }
        return new CDialect(false, prefix);
    }

    /** The C spelling of a wire scalar. Portable C has no endian-annotated types: accessors convert. */
    public String scalar(ScalarType t) {
        if (!linux) {
            return "uint" + t.bits() + "_t";
        }
        return switch (t.order()) {
            case NONE -> "__u8";
            case LITTLE -> "__le" + t.bits();
            case BIG -> "__be" + t.bits();
            case VIRTIO -> "__virtio" + t.bits();
        };
    }

    /** A struct, function or other lower-case identifier. */
    public String ident(String name) {
        return prefix.toLowerCase(Locale.ROOT) + name;
    }

    /** A macro name. */
    public String macro(String name) {
        return prefix.toUpperCase(Locale.ROOT) + name;
    }
}
