package dev.avps.dsl.naming;

import java.util.Locale;
import java.util.Set;

/**
 * How a spec name becomes a Java identifier: {@code virtio_blk_config} the class
 * {@code VirtioBlkConfig}, {@code blk_size} the member {@code blkSize}, {@code MAX_LEN} the
 * constant {@code MAX_LEN}, and a member that is a Java keyword (or a method every flyweight
 * already has) gets a trailing {@code _}.
 *
 * <p>The rule lives here, beside the validator, so that {@code avps check} rejects exactly the
 * names the Java generator cannot map ({@link #problem}); the generator's {@code JavaNames}
 * delegates to it.
 */
public final class JavaIdentifiers {

    public static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits",
            "non-sealed", "_");

    /** Methods every generated flyweight declares; a member of that name gets the trailing {@code _} too. */
    public static final Set<String> RESERVED_METHODS = Set.of("wrap", "offset", "limit", "size", "bytes",
            "generation", "read", "write", "getClass", "hashCode", "toString", "equals", "notify", "notifyAll", "wait",
            "clone", "finalize", "chain", "queue", "readable", "writable", "mode", "reset");

    private JavaIdentifiers() {
    }

    /** {@code virtio_blk_config} → {@code VirtioBlkConfig}; {@code 9p} → {@code _9p}; {@code _} → empty. */
    public static String type(String specName) {
        StringBuilder b = new StringBuilder();
        for (String part : specName.split("[_\\-.\\s]+")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return startSafe(b.toString());
    }

    /** {@code blk_size} → {@code blkSize}; {@code default} → {@code default_}; {@code MAX_LEN} → {@code maxLen}. */
    public static String member(String specName) {
        String lower = specName.equals(specName.toUpperCase(Locale.ROOT)) ? specName.toLowerCase(Locale.ROOT)
                : specName;
        String t = type(lower);
        if (t.isEmpty()) {
            return t;
        }
        String m = t.startsWith("_") ? t : Character.toLowerCase(t.charAt(0)) + t.substring(1);
        return escape(m);
    }

    /** {@code blk_size} → {@code BLK_SIZE}; keywords cannot clash with upper-case names. */
    public static String constant(String specName) {
        return startSafe(specName.replaceAll("[^A-Za-z0-9_]", "_").toUpperCase(Locale.ROOT));
    }

    /** A member name that Java or the flyweight already uses gets a trailing underscore. */
    public static String escape(String name) {
        return KEYWORDS.contains(name) || RESERVED_METHODS.contains(name) ? name + "_" : name;
    }

    /**
     * Why a spec name has no Java form, or {@code null} when every mapping above yields a usable
     * identifier. A name of underscores only (such as {@code _}) loses every character to the
     * word split, leaving an empty class or member name.
     */
    public static String problem(String specName) {
        for (String mapped : new String[] {type(specName), member(specName), constant(specName)}) {
            if (!isIdentifier(mapped)) {
                return mapped.isEmpty() ? "leaves no letters or digits for a Java name (underscores are word breaks)"
                        : "becomes '" + mapped + "', which is no Java identifier";
            }
        }
        return null;
    }

    private static boolean isIdentifier(String s) {
        if (s.isEmpty() || KEYWORDS.contains(s) || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!Character.isJavaIdentifierPart(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String startSafe(String s) {
        return !s.isEmpty() && Character.isDigit(s.charAt(0)) ? "_" + s : s;
    }
}
