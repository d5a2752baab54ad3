package dev.avps.model;

import java.math.BigInteger;
import java.util.OptionalLong;

/** An integer expression: array lengths, queue counts and indexes. */
public sealed interface ValueExpr {

    record Literal(BigInteger value) implements ValueExpr {
    }

    /** A named constant or enum literal; its value is known at build time. */
    record ConstantRef(String name, BigInteger value) implements ValueExpr {
    }

    /** A field whose value is only known at run time (config field, length field). */
    record FieldRef(String name) implements ValueExpr {
    }

    record Binary(ValueExpr left, char op, ValueExpr right) implements ValueExpr {
    }

    record If(FeatureExpr condition, ValueExpr then, ValueExpr otherwise) implements ValueExpr {
    }

    static ValueExpr of(long value) {
        return new Literal(BigInteger.valueOf(value));
    }

    /** The value when it does not depend on run-time fields or features. */
    default OptionalLong constantValue() {
        if (this instanceof Literal l) {
            return OptionalLong.of(l.value().longValue());
        } else if (this instanceof ConstantRef c) {
            return OptionalLong.of(c.value().longValue());
        } else if (this instanceof Binary b) {
            OptionalLong l = b.left().constantValue();
            OptionalLong r = b.right().constantValue();
            if (l.isEmpty() || r.isEmpty()) {
                return OptionalLong.empty();
            }
            return switch (b.op()) {
                case '+' -> OptionalLong.of(l.getAsLong() + r.getAsLong());
                case '-' -> OptionalLong.of(l.getAsLong() - r.getAsLong());
                case '*' -> OptionalLong.of(l.getAsLong() * r.getAsLong());
                default -> r.getAsLong() == 0 ? OptionalLong.empty() : OptionalLong.of(l.getAsLong() / r.getAsLong());
            };
        }
        return OptionalLong.empty();
    }

    /** The expression in .avps syntax. */
    default String render() {
        if (this instanceof Literal l) {
            return l.value().toString();
        } else if (this instanceof ConstantRef c) {
            return c.name();
        } else if (this instanceof FieldRef f) {
            return f.name();
        } else if (this instanceof Binary b) {
            return "(" + b.left().render() + " " + b.op() + " " + b.right().render() + ")";
        } else {
            If i = (If) this;
            return "(" + i.then().render() + " if " + i.condition().render() + " else " + i.otherwise().render() + ")";
        }
    }
}
