package dev.avps.generator.java;

import dev.avps.dsl.naming.JavaIdentifiers;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Java identifiers from spec names, by the rule in {@link JavaIdentifiers} (which the validator
 * applies too, so a name that passes {@code avps check} always maps): {@code virtio_blk_config} becomes the class
 * {@code VirtioBlkConfig}, {@code blk_size} the accessor {@code blkSize}, and a name that is a Java
 * keyword (or a method every flyweight already has) gets a trailing {@code _}.
 */
public final class JavaNames {

    static final Set<String> KEYWORDS = JavaIdentifiers.KEYWORDS;

    /** Methods every generated flyweight declares; a field of that name gets the trailing {@code _} too. */
    static final Set<String> RESERVED_METHODS = JavaIdentifiers.RESERVED_METHODS;

    private static final Pattern PACKAGE = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*(\\.[a-zA-Z_][a-zA-Z0-9_]*)*");

    private JavaNames() {
    }

    /** {@code virtio_blk_config} → {@code VirtioBlkConfig}; {@code 9p} → {@code _9p}. */
    public static String type(String specName) {
        return JavaIdentifiers.type(specName);
    }

    /** {@code blk_size} → {@code blkSize}; {@code default} → {@code default_}; {@code MAX_LEN} → {@code maxLen}. */
    public static String member(String specName) {
        return JavaIdentifiers.member(specName);
    }

    /** {@code blk_size} → {@code BLK_SIZE}; keywords cannot clash with upper-case names. */
    public static String constant(String specName) {
        return JavaIdentifiers.constant(specName);
    }

    /** A member name that Java or the flyweight already uses gets a trailing underscore. */
    public static String escape(String name) {
        return JavaIdentifiers.escape(name);
    }

    /**
     * The package for a device from a pattern such as {@code dev.avps.generated.{device}}.
     *
     * @throws IllegalArgumentException when the result is no valid package name
     */
    public static String packageFor(String pattern, String deviceName) {
        String seg = deviceName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (KEYWORDS.contains(seg) || Character.isDigit(seg.charAt(0))) {
            seg = seg + "_";
            if (Character.isDigit(seg.charAt(0))) {
                seg = "_" + seg;
            }
        }
        String p = pattern.replace("{device}", seg);
        if (!PACKAGE.matcher(p).matches()) {
            throw new IllegalArgumentException("not a Java package name: " + p);
        }
        for (String part : p.split("\\.")) {
            if (KEYWORDS.contains(part)) {
                throw new IllegalArgumentException("'" + part + "' is a Java keyword: " + p);
            }
        }
        return p;
    }

    private static String startSafe(String s) {
        return !s.isEmpty() && Character.isDigit(s.charAt(0)) ? "_" + s : s;
    }
}
