package dev.avps.dsl.layout;

import dev.avps.dsl.avps.Binary;
import dev.avps.dsl.avps.Constant;
import dev.avps.dsl.avps.EnumLiteral;
import dev.avps.dsl.avps.Expression;
import dev.avps.dsl.avps.IfExpression;
import dev.avps.dsl.avps.NumberLiteral;
import dev.avps.dsl.avps.ValueRef;
import java.math.BigInteger;
import org.eclipse.emf.ecore.EObject;

/**
 * Exact evaluation of the build-time part of a size, count or index expression, in unbounded
 * integers, so that no overflow can wrap a huge value into a small one (2^64 into 0).
 *
 * <p>The result is a value, "known only at run time" (a field or feature is involved), or a
 * problem: division by zero, or an intermediate value outside the signed 64-bit range the
 * generators compute in. Recursion follows the expression tree, whose depth the resource's
 * {@code NestingGuard} bounds before parsing.
 */
public final class ConstantFold {

    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** {@code value} when known at build time; {@code problem} (with where it arose) when broken. */
    public record Result(BigInteger value, String problem, EObject at) {

        static final Result RUNTIME = new Result(null, null, null);

        public boolean known() {
            return value != null;
        }

        public boolean broken() {
            return problem != null;
        }
    }

    private ConstantFold() {
    }

    /** Folds with every intermediate value inside signed 64 bits, as sizes, counts and indexes need. */
    public static Result fold(Expression e) {
        return fold(e, true);
    }

    /**
     * Folds without the 64-bit bound, for values compared against a field of known width (selector
     * values and union labels: a le64 flag may be 2^63 or more). The nesting limit bounds how large
     * the numbers can grow.
     */
    public static Result foldUnbounded(Expression e) {
        return fold(e, false);
    }

    private static Result fold(Expression e, boolean bounded) {
        if (e == null) {
            return Result.RUNTIME;
        }
        if (e instanceof NumberLiteral n) {
            return n.getValue() == null ? Result.RUNTIME : checked(n.getValue(), e, bounded);
        }
        if (e instanceof ValueRef r) {
            EObject t = r.getTarget();
            if (t instanceof Constant k && !k.eIsProxy() && k.getValue() != null) {
                return checked(k.getValue(), e, bounded);
            }
            if (t instanceof EnumLiteral l && !l.eIsProxy() && l.getValue() != null) {
                return checked(l.getValue(), e, bounded);
            }
            return Result.RUNTIME;
        }
        if (e instanceof IfExpression i) {
            Result then = fold(i.getThen(), bounded);
            if (then.broken()) {
                return then;
            }
            Result otherwise = fold(i.getOtherwise(), bounded);
            return otherwise.broken() ? otherwise : Result.RUNTIME;
        }
        if (e instanceof Binary b) {
            Result l = fold(b.getLeft(), bounded);
            if (l.broken()) {
                return l;
            }
            Result r = fold(b.getRight(), bounded);
            if (r.broken()) {
                return r;
            }
            String op = b.getOp() == null ? "" : b.getOp();
            if (op.equals("/") && r.known() && r.value().signum() == 0) {
                return new Result(null, "division by zero", e);
            }
            if (!l.known() || !r.known()) {
                return Result.RUNTIME;
            }
            BigInteger v = switch (op) {
                case "+" -> l.value().add(r.value());
                case "-" -> l.value().subtract(r.value());
                case "*" -> l.value().multiply(r.value());
                case "/" -> l.value().divide(r.value());
                default -> null;
            };
            return v == null ? Result.RUNTIME : checked(v, e, bounded);
        }
        return Result.RUNTIME;
    }

    private static Result checked(BigInteger v, EObject at, boolean bounded) {
        if (bounded && (v.compareTo(MIN) < 0 || v.compareTo(MAX) > 0)) {
            return new Result(null, "value " + v + " does not fit 64 bits", at);
        }
        return new Result(v, null, at);
    }
}
