package dev.avps.model;

import java.util.Set;
import java.util.TreeSet;

/** A boolean expression over feature bits, as written after `when`, `requires` or `if`. */
public sealed interface FeatureExpr {

    /** A single feature bit, named by its owner (device name or transport set) and name. */
    record Ref(String owner, String name, int bit) implements FeatureExpr {
    }

    record And(FeatureExpr left, FeatureExpr right) implements FeatureExpr {
    }

    record Or(FeatureExpr left, FeatureExpr right) implements FeatureExpr {
    }

    record Not(FeatureExpr operand) implements FeatureExpr {
    }

    /** Whether the expression holds for the given negotiated feature bits. */
    default boolean holds(java.util.function.IntPredicate negotiated) {
        if (this instanceof Ref r) {
            return negotiated.test(r.bit());
        } else if (this instanceof And a) {
            return a.left().holds(negotiated) && a.right().holds(negotiated);
        } else if (this instanceof Or o) {
            return o.left().holds(negotiated) || o.right().holds(negotiated);
        } else {
            return !((Not) this).operand().holds(negotiated);
        }
    }

    /** Every feature the expression mentions. */
    default Set<Ref> refs() {
        Set<Ref> out = new TreeSet<>(java.util.Comparator.comparingInt(Ref::bit).thenComparing(Ref::name));
        collect(this, out);
        return out;
    }

    private static void collect(FeatureExpr e, Set<Ref> out) {
        if (e instanceof Ref r) {
            out.add(r);
        } else if (e instanceof And a) {
            collect(a.left(), out);
            collect(a.right(), out);
        } else if (e instanceof Or o) {
            collect(o.left(), out);
            collect(o.right(), out);
        } else if (e instanceof Not n) {
            collect(n.operand(), out);
        }
    }

    /** The expression in .avps syntax, fully parenthesised where precedence needs it. */
    default String render() {
        if (this instanceof Ref r) {
            return r.name();
        } else if (this instanceof And a) {
            return wrap(a.left(), Or.class) + " && " + wrap(a.right(), Or.class);
        } else if (this instanceof Or o) {
            return o.left().render() + " || " + o.right().render();
        } else {
            FeatureExpr inner = ((Not) this).operand();
            return "!" + (inner instanceof Ref ? inner.render() : "(" + inner.render() + ")");
        }
    }

    private static String wrap(FeatureExpr e, Class<?> looser) {
        return looser.isInstance(e) ? "(" + e.render() + ")" : e.render();
    }
}
