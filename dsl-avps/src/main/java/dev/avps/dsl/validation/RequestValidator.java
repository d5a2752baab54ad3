package dev.avps.dsl.validation;

import static dev.avps.dsl.avps.AvpsPackage.Literals.FIELD_PATH__FIELD;
import static dev.avps.dsl.avps.AvpsPackage.Literals.FIELD__READABLE;
import static dev.avps.dsl.avps.AvpsPackage.Literals.REQUEST__DISCRIMINATOR;
import static dev.avps.dsl.avps.AvpsPackage.Literals.REQUEST__QUEUE;
import static dev.avps.dsl.avps.AvpsPackage.Literals.REQUEST__VALUES;
import static dev.avps.dsl.avps.AvpsPackage.Literals.UNION_CASE__LABELS;

import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.Element;
import dev.avps.dsl.avps.Enum;
import dev.avps.dsl.avps.Expression;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.FieldPath;
import dev.avps.dsl.avps.NamedType;
import dev.avps.dsl.avps.PrimitiveType;
import dev.avps.dsl.avps.Queue;
import dev.avps.dsl.avps.Request;
import dev.avps.dsl.avps.UnionCase;
import dev.avps.dsl.layout.ConstantFold;
import dev.avps.dsl.layout.Expressions;
import dev.avps.dsl.layout.LayoutEngine;
import dev.avps.dsl.semantic.Selectors;
import dev.avps.model.ScalarType;
import dev.avps.model.StructLayout;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.validation.Check;

/**
 * Requests and how a device tells them apart: readable fields before writable ones, and on one
 * queue one selector whose values each pick one format (union labels follow the same rules).
 */
public class RequestValidator extends ConcernValidator {

    @Check
    public void checkRequestOrder(Request r) {
        Field firstWritable = null;
        for (Field f : r.getMembers()) {
            if (f.isWritable() && firstWritable == null) {
                firstWritable = f;
            } else if (f.isReadable() && firstWritable != null) {
                error("readable field '" + f.getName() + "' follows writable field '" + firstWritable.getName()
                        + "': a descriptor chain carries every device-readable buffer before the writable ones", f,
                        FIELD__READABLE, IssueCodes.READABLE_AFTER_WRITABLE);
            }
        }
        if (r.getDiscriminator() != null) {
            FieldPath head = r.getDiscriminator();
            while (head.getParent() != null) {
                head = head.getParent();
            }
            Field h = head.getField();
            if (h != null && !h.eIsProxy() && !h.isReadable()) {
                error("the discriminator must be read by the device: '" + h.getName() + "' is not readable",
                        r, REQUEST__DISCRIMINATOR, IssueCodes.BAD_DISCRIMINATOR);
            }
        }
        for (int i = 0; i < r.getValues().size(); i++) {
            requireConstant(r.getValues().get(i), r, REQUEST__VALUES, i);
        }
    }

    /**
     * The device picks a request's format by its discriminator value, so on one queue each value
     * may select one format only, and a queue with several formats needs a discriminator on each.
     */
    @Check
    public void checkRequestSelection(Device d) {
        Map<Queue, List<Request>> byQueue = new LinkedHashMap<>();
        for (Element e : d.getMembers()) {
            if (e instanceof Request r && r.getQueue() != null && !r.getQueue().eIsProxy()) {
                byQueue.computeIfAbsent(r.getQueue(), q -> new ArrayList<>()).add(r);
            }
        }
        for (List<Request> formats : byQueue.values()) {
            if (formats.size() < 2) {
                continue;
            }
            Map<String, Request> seen = new HashMap<>();
            String selector = null;
            Request first = null;
            for (Request r : formats) {
                if (r.getDiscriminator() == null) {
                    // A warning, not an error: the device code can still tell the formats apart.
                    warning("queue '" + r.getQueue().getName() + "' carries " + formats.size()
                            + " request formats, so '" + r.getName() + "' needs a 'where' to tell it apart", r,
                            REQUEST__QUEUE, IssueCodes.AMBIGUOUS_REQUEST);
                    continue;
                }
                String path = LayoutEngine.path(r.getDiscriminator());
                String mine = r.getMask() == null ? path : path + " & 0x" + r.getMask().toString(16);
                // Different paths may name the same bytes (gpu's hdr.type and cmd.hdr.type): compare places.
                String place = selectorPlace(r) + (r.getMask() == null ? "" : "&" + r.getMask());
                if (selector == null) {
                    selector = place;
                    first = r;
                } else if (!selector.equals(place)) {
                    // A device reads one selector per chain; formats of one queue must agree on it.
                    error("request '" + r.getName() + "' selects by " + mine + " but '" + first.getName()
                            + "' on the same queue selects by other bits", r, REQUEST__DISCRIMINATOR,
                            IssueCodes.AMBIGUOUS_REQUEST);
                    continue;
                }
                for (int i = 0; i < r.getValues().size(); i++) {
                    BigInteger v = Expressions.constant(r.getValues().get(i));
                    if (v == null) {
                        continue;
                    }
                    Request earlier = seen.putIfAbsent(v.toString(), r);
                    if (earlier != null) {
                        error(mine + " == " + v + " already selects request '" + earlier.getName() + "' on queue '"
                                + r.getQueue().getName() + "'", r, REQUEST__VALUES, i, IssueCodes.AMBIGUOUS_REQUEST);
                    }
                }
            }
        }
    }

    /**
     * Where a request's discriminator sits in its readable part, as "offset/size", or its path if
     * not fixed. The walk is the semantic model's, so the validator and the generated dispatch
     * agree on which bytes a selector reads.
     */
    private static String selectorPlace(Request r) {
        List<String> names = Selectors.path(r.getDiscriminator());
        StructLayout part = new LayoutEngine(o -> null).readablePart(r);
        return Selectors.place(part, names).map(p -> p.offset() + "/" + p.leaf().elementSize())
                .orElse(String.join(".", names));
    }

    /** Masked values can only match when they have no bits outside the mask. */
    @Check
    public void checkMaskedValues(Request r) {
        if (r.getMask() == null) {
            return;
        }
        for (int i = 0; i < r.getValues().size(); i++) {
            BigInteger v = Expressions.constant(r.getValues().get(i));
            if (v != null && !v.andNot(r.getMask()).equals(BigInteger.ZERO)) {
                error("value " + v + " has bits outside the mask 0x" + r.getMask().toString(16) + ", so it never matches",
                        r, REQUEST__VALUES, i, IssueCodes.MASKED_VALUE);
            }
        }
    }

    @Check
    public void checkDiscriminatorType(FieldPath p) {
        if (p.eContainer() instanceof FieldPath) {
            return;
        }
        Field f = p.getField();
        if (f == null || f.eIsProxy()) {
            return;
        }
        boolean scalar = f.getType() instanceof PrimitiveType
                || (f.getType() instanceof NamedType n && n.getType() instanceof Enum);
        if (!scalar || f.getArray() != null) {
            error("discriminator '" + f.getName() + "' must be a scalar or enum field", p, FIELD_PATH__FIELD,
                    IssueCodes.BAD_DISCRIMINATOR);
        }
    }

    @Check
    public void checkUnionLabels(UnionCase c) {
        Field union = c.eContainer() instanceof Field f ? f : null;
        ScalarType type = union == null ? null : scalarOf(union.getDiscriminator());
        for (int i = 0; i < c.getLabels().size(); i++) {
            requireConstant(c.getLabels().get(i), c, UNION_CASE__LABELS, i);
            requireFit(c.getLabels().get(i), type, c, UNION_CASE__LABELS, i);
        }
    }

    /** A selector value wider than its field could never match: it is a mistake, not a format. */
    @Check
    public void checkSelectorValuesFit(Request r) {
        ScalarType type = scalarOf(r.getDiscriminator());
        for (int i = 0; i < r.getValues().size(); i++) {
            requireFit(r.getValues().get(i), type, r, REQUEST__VALUES, i);
        }
    }

    private void requireFit(Expression e, ScalarType type, EObject owner, EStructuralFeature feature, int index) {
        BigInteger v = type == null ? null : Expressions.constant(e);
        if (v != null && (v.signum() < 0 || v.bitLength() > type.bits())) {
            error("value " + v + " does not fit the " + type.keyword() + " selector, so it never matches", owner,
                    feature, index, IssueCodes.VALUE_OVERFLOW);
        }
    }

    /** The scalar type of a discriminator's last field (an enum's underlying type), or null. */
    private static ScalarType scalarOf(FieldPath p) {
        Field f = p == null ? null : p.getField();
        if (f == null || f.eIsProxy() || f.getArray() != null) {
            return null;
        }
        if (f.getType() instanceof PrimitiveType prim) {
            return ScalarType.ofKeyword(prim.getKind().getLiteral());
        }
        if (f.getType() instanceof NamedType n && n.getType() instanceof Enum en && !en.eIsProxy()) {
            return ScalarType.ofKeyword(en.getType().getLiteral());
        }
        return null;
    }

    private void requireConstant(Expression e, EObject owner, EStructuralFeature feature, int index) {
        ConstantFold.Result folded = ConstantFold.foldUnbounded(e);
        if (folded.broken()) {
            error("this value is broken: " + folded.problem(), owner, feature, index, IssueCodes.BAD_VALUE);
        } else if (Expressions.value(e) != null && Expressions.constant(e) == null) {
            error("this value must be known when the spec is built (a number, constant or enum value)", owner, feature,
                    index, IssueCodes.NOT_CONSTANT);
        }
    }
}
