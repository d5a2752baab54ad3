package dev.avps.generator.java;

import dev.avps.model.FeatureExpr;
import dev.avps.model.ValueExpr;
import java.math.BigInteger;
import java.util.function.Function;

/** Java source for the spec's feature and value expressions and for literals. */
public final class JavaExpr {

    private JavaExpr() {
    }

    /** A feature expression over the feature word {@code var}: {@code (var & (1L << 5)) != 0}. */
    public static String feature(FeatureExpr e, String var) {
        if (e instanceof FeatureExpr.Ref r) {
            // A FeatureSet, not a long: bits run to 127 and Java shifts a long modulo 64.
            return var + ".has(" + r.bit() + ")";
        } else if (e instanceof FeatureExpr.And a) {
            return "(" + feature(a.left(), var) + ") && (" + feature(a.right(), var) + ")";
        } else if (e instanceof FeatureExpr.Or o) {
            return "(" + feature(o.left(), var) + ") || (" + feature(o.right(), var) + ")";
        } else {
            return "!(" + feature(((FeatureExpr.Not) e).operand(), var) + ")";
        }
    }

    /** Every bit an expression names, as a {@code FeatureSet.of(...)} expression. */
    public static String refMask(FeatureExpr e) {
        return featureSet(e.refs().stream().map(FeatureExpr.Ref::bit).distinct().sorted().toList());
    }

    /** {@code FeatureSet.of(3, 64)}: a set of bit numbers, whatever their range. */
    public static String featureSet(java.util.Collection<Integer> bits) {
        return "FeatureSet.of(" + String.join(", ", bits.stream().sorted().map(String::valueOf).toList()) + ")";
    }

    /**
     * A value expression as a Java {@code long} expression, or null when it names something
     * {@code fields} cannot resolve (it returns null for unknown names).
     *
     * @param fields  field name → Java expression of its value as a long
     * @param featureVar the feature word for {@code a if FEATURE else b}, or null when features are unknown here
     */
    public static String value(ValueExpr e, Function<String, String> fields, String featureVar) {
        if (e instanceof ValueExpr.Literal l) {
            return l.value().longValue() + "L";
        } else if (e instanceof ValueExpr.ConstantRef c) {
            return c.value().longValue() + "L";
        } else if (e instanceof ValueExpr.FieldRef f) {
            String s = fields.apply(f.name());
            return s;
        } else if (e instanceof ValueExpr.Binary b) {
            String l = value(b.left(), fields, featureVar);
            String r = value(b.right(), fields, featureVar);
            if (l == null || r == null) {
                return null;
            }
            return "(" + l + " " + b.op() + " " + r + ")";
        } else {
            ValueExpr.If i = (ValueExpr.If) e;
            if (featureVar == null) {
                return null;
            }
            String t = value(i.then(), fields, featureVar);
            String o = value(i.otherwise(), fields, featureVar);
            if (t == null || o == null) {
                return null;
            }
            return "((" + feature(i.condition(), featureVar) + ") ? " + t + " : " + o + ")";
        }
    }

    /** {@code 0x1F0L}. */
    public static String hexLong(long v) {
        return "0x" + Long.toHexString(v).toUpperCase(java.util.Locale.ROOT) + "L";
    }

    /** A literal of a wire value for the Java type of a scalar of {@code width} bytes (int up to 2, long above). */
    public static String literal(BigInteger v, int width) {
        long x = v.longValue();
        if (width <= 2) {
            return Long.toString(x & (width == 1 ? 0xffL : 0xffffL));
        }
        if (width == 4) {
            return (x & 0xffffffffL) + "L";
        }
        return x >= 0 && x < 1_000_000 ? x + "L" : hexLong(x);
    }

    /** The Java type a scalar of {@code width} bytes is read as: unsigned values widened. */
    public static String javaType(int width) {
        return width <= 2 ? "int" : "long";
    }

    /** A Java string literal. */
    public static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.append('"').toString();
    }

    /** Text safe inside a javadoc comment: no comment end, no stray HTML. */
    public static String doc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("*/", "*&#47;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("@", "&#64;").replace("\\u", "\\\\u").replaceAll("\\s+", " ").strip();
    }
}
