package dev.avps.dsl.semantic;

import dev.avps.dsl.avps.AvpsPackage;
import dev.avps.dsl.avps.Requirement;
import dev.avps.dsl.avps.ValueRef;
import dev.avps.dsl.layout.Expressions;
import dev.avps.model.Expectation;
import dev.avps.model.Expectation.ConfigRead;
import dev.avps.model.FeatureExpr;
import dev.avps.model.FieldLayout;
import dev.avps.model.StructLayout;
import dev.avps.model.ValueExpr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;

/**
 * A requirement's {@code expect config ...} bounds in the semantic model, each config field it
 * reads placed by the device's resolved config layout (the conformance runner reads bytes, it
 * never lays out a struct). An expectation whose field does not resolve to a fixed scalar (the
 * validator has said why) is left out.
 */
final class Expectations {

    private Expectations() {
    }

    static List<Expectation> of(Requirement r, StructLayout config) {
        List<Expectation> out = new ArrayList<>();
        if (config == null) {
            return out;
        }
        for (dev.avps.dsl.avps.Expectation e : r.getExpectations()) {
            ConfigRead field = read(path(e), config);
            ValueExpr bound = Expressions.value(e.getBound());
            if (field == null || bound == null || e.getOp() == null) {
                continue;
            }
            Map<String, ConfigRead> operands = new LinkedHashMap<>();
            boolean resolved = true;
            for (ValueRef ref : Expressions.refsIn(e.getBound())) {
                if (ref.getTarget() instanceof dev.avps.dsl.avps.Field) {
                    String p = Expressions.refText(ref);
                    ConfigRead operand = read(p, config);
                    resolved &= operand != null;
                    if (operand != null) {
                        operands.put(p, operand);
                    }
                }
            }
            FeatureExpr when = e.getCondition() == null ? null : Expressions.condition(e.getCondition());
            if (resolved && (e.getCondition() == null || when != null)) {
                out.add(new Expectation(text(e), field, Expectation.Comparison.valueOf(e.getOp().getName().toUpperCase(java.util.Locale.ROOT)), bound,
                        operands, when));
            }
        }
        return out;
    }

    /** The compared field as written: a name or a dotted path ("zoned.model"). */
    static String path(dev.avps.dsl.avps.Expectation e) {
        List<INode> nodes = NodeModelUtils.findNodesForFeature(e, AvpsPackage.Literals.EXPECTATION__FIELD);
        if (nodes.isEmpty()) {
            return e.getField() == null || e.getField().eIsProxy() ? null : e.getField().getName();
        }
        return NodeModelUtils.getTokenText(nodes.get(0)).replace(" ", "");
    }

    /** The expectation's source text after {@code config}, on one line with single spaces. */
    private static String text(dev.avps.dsl.avps.Expectation e) {
        ICompositeNode node = NodeModelUtils.getNode(e);
        String all = node == null ? "" : NodeModelUtils.getTokenText(node);
        return all.replaceFirst("^config\\s+", "").replaceAll("\\s*\\.\\s*", ".").replace("( ", "(")
                .replace(" )", ")");
    }

    /**
     * A scalar config field by path, its offset the sum of the offsets along the path and its
     * presence every condition along it; null unless each step is a plain (non-array) field at a
     * fixed offset and the last one is a scalar or enum.
     */
    static ConfigRead read(String path, StructLayout config) {
        if (path == null) {
            return null;
        }
        StructLayout in = config;
        int offset = 0;
        FeatureExpr present = null;
        String[] names = path.split("\\.");
        for (int i = 0; i < names.length; i++) {
            FieldLayout f = in == null ? null : in.field(names[i]).orElse(null);
            if (f == null || f.isArray() || f.base() != FieldLayout.OffsetBase.START || f.kind() == FieldLayout.Kind.UNION) {
                return null;
            }
            offset += f.offset();
            if (f.condition() != null) {
                present = present == null ? f.condition() : new FeatureExpr.And(present, f.condition());
            }
            if (i == names.length - 1) {
                return f.scalar() == null ? null : new ConfigRead(path, offset, f.scalar(), present);
            }
            in = f.nested();
        }
        return null;
    }
}
