package dev.avps.generator.docs;

import dev.avps.model.QueueModel;
import dev.avps.model.ValueExpr;

/** The queue index rule of {@link QueueModel} (first index, stride, count) in words. */
public final class QueueIndexRule {

    private QueueIndexRule() {
    }

    /**
     * "0" for a single queue, "1 .. 1 + (n - 1)" style rules for repeated ones: instance k has index
     * first + k * stride.
     */
    public static String indexes(QueueModel q) {
        String first = bare(simplify(q.firstIndex()));
        Long n = q.count().constantValue().isPresent() ? q.count().constantValue().getAsLong() : null;
        if (n != null && n == 1) {
            return first;
        }
        String step = q.stride() == 1 ? "k" : q.stride() + "k";
        String start = first.equals("0") ? step : first + " + " + step;
        String last = n != null ? String.valueOf(n - 1) : q.count().render() + " - 1";
        return start + " for k = 0 .. " + last;
    }

    /** Drops the "+ 0" the model's index arithmetic leaves on the first member of a group. */
    static ValueExpr simplify(ValueExpr e) {
        if (e instanceof ValueExpr.Binary b) {
            ValueExpr l = simplify(b.left());
            ValueExpr r = simplify(b.right());
            boolean rZero = r.constantValue().isPresent() && r.constantValue().getAsLong() == 0;
            boolean lZero = l.constantValue().isPresent() && l.constantValue().getAsLong() == 0;
            if ((b.op() == '+' || b.op() == '-') && rZero) {
                return l;
            }
            if (b.op() == '+' && lZero) {
                return r;
            }
            return new ValueExpr.Binary(l, b.op(), r);
        }
        return e;
    }

    /** An expression without the outer parentheses render() puts around compound ones. */
    static String bare(ValueExpr e) {
        String s = e.render();
        if (s.startsWith("(") && s.endsWith(")") && balanced(s.substring(1, s.length() - 1))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static boolean balanced(String s) {
        int depth = 0;
        for (char c : s.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }
}
