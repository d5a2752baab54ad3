package dev.avps.dsl.layout;

import dev.avps.dsl.avps.And;
import dev.avps.dsl.avps.Binary;
import dev.avps.dsl.avps.Condition;
import dev.avps.dsl.avps.Constant;
import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.EnumLiteral;
import dev.avps.dsl.avps.Expression;
import dev.avps.dsl.avps.Feature;
import dev.avps.dsl.avps.FeatureRef;
import dev.avps.dsl.avps.FeatureSet;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.IfExpression;
import dev.avps.dsl.avps.Not;
import dev.avps.dsl.avps.NumberLiteral;
import dev.avps.dsl.avps.Or;
import dev.avps.dsl.avps.ValueRef;
import dev.avps.model.FeatureExpr;
import dev.avps.model.ValueExpr;
import dev.avps.dsl.avps.AvpsPackage;
import java.math.BigInteger;
import java.util.List;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.emf.ecore.EObject;

/**
 * Turns parsed conditions and expressions into the syntax-free model. Unresolved references
 * (already reported by the linker) come out as {@code null} rather than exceptions.
 */
public final class Expressions {

    private Expressions() {
    }

    public static FeatureExpr condition(Condition c) {
        if (c == null) {
            return null;
        }
        if (c instanceof FeatureRef r) {
            Feature f = r.getFeature();
            if (f == null || f.eIsProxy()) {
                return null;
            }
            return new FeatureExpr.Ref(ownerOf(f), f.getName(), f.getBit());
        } else if (c instanceof And a) {
            return both(condition(a.getLeft()), condition(a.getRight()), true);
        } else if (c instanceof Or o) {
            return both(condition(o.getLeft()), condition(o.getRight()), false);
        } else if (c instanceof Not n) {
            FeatureExpr inner = condition(n.getOperand());
            return inner == null ? null : new FeatureExpr.Not(inner);
        }
        return null;
    }

    private static FeatureExpr both(FeatureExpr l, FeatureExpr r, boolean and) {
        if (l == null || r == null) {
            return null;
        }
        return and ? new FeatureExpr.And(l, r) : new FeatureExpr.Or(l, r);
    }

    /** The device or transport set a feature belongs to. */
    public static String ownerOf(Feature f) {
        for (EObject o = f.eContainer(); o != null; o = o.eContainer()) {
            if (o instanceof Device d) {
                return d.getName();
            }
            if (o instanceof dev.avps.dsl.avps.DeviceExtension x) {
                // A proposal's bit belongs to the device it extends.
                return x.getBase() == null || x.getBase().eIsProxy() ? "" : x.getBase().getName();
            }
            if (o instanceof FeatureSet s) {
                return s.getName();
            }
        }
        return "";
    }

    public static ValueExpr value(Expression e) {
        if (e == null) {
            return null;
        }
        if (e instanceof NumberLiteral n) {
            return n.getValue() == null ? null : new ValueExpr.Literal(n.getValue());
        } else if (e instanceof ValueRef r) {
            EObject t = r.getTarget();
            if (t == null || t.eIsProxy()) {
                return null;
            }
            if (t instanceof Constant k) {
                return k.getValue() == null ? null : new ValueExpr.ConstantRef(k.getName(), k.getValue());
            } else if (t instanceof EnumLiteral l) {
                return l.getValue() == null ? null : new ValueExpr.ConstantRef(l.getName(), l.getValue());
            } else if (t instanceof Field) {
                return new ValueExpr.FieldRef(refText(r));
            }
            return null;
        } else if (e instanceof Binary b) {
            ValueExpr l = value(b.getLeft());
            ValueExpr r = value(b.getRight());
            return l == null || r == null || b.getOp() == null ? null : new ValueExpr.Binary(l, b.getOp().charAt(0), r);
        } else if (e instanceof IfExpression i) {
            FeatureExpr c = condition(i.getCondition());
            ValueExpr t = value(i.getThen());
            ValueExpr o = value(i.getOtherwise());
            return c == null || t == null || o == null ? null : new ValueExpr.If(c, t, o);
        }
        return null;
    }

    /** The reference as written: a field name or a dotted path into a struct field. */
    public static String refText(ValueRef r) {
        List<INode> nodes = NodeModelUtils.findNodesForFeature(r, AvpsPackage.Literals.VALUE_REF__TARGET);
        if (nodes.isEmpty()) {
            Field f = (Field) r.getTarget();
            return f.getName();
        }
        return NodeModelUtils.getTokenText(nodes.get(0)).replace(" ", "");
    }

    /**
     * The exact value of a label or selector value that must be known at build time, or
     * {@code null} (run-time dependent, unresolved, or a division by zero). Exact: 2^64 stays
     * 2^64 instead of wrapping to 0, so the validator can reject it against its field's width.
     */
    public static BigInteger constant(Expression e) {
        ConstantFold.Result r = ConstantFold.foldUnbounded(e);
        return r.known() ? r.value() : null;
    }

    /** The value references of an expression, itself included when it is one (in source order). */
    public static List<ValueRef> refsIn(Expression e) {
        List<ValueRef> out = new java.util.ArrayList<>();
        if (e instanceof ValueRef r) {
            out.add(r);
        } else if (e != null) {
            out.addAll(org.eclipse.xtext.EcoreUtil2.getAllContentsOfType(e, ValueRef.class));
        }
        return out;
    }
}
