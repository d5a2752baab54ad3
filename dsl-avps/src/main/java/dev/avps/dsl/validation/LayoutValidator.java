package dev.avps.dsl.validation;

import static dev.avps.dsl.avps.AvpsPackage.Literals.BIT_FIELD__LSB;
import static dev.avps.dsl.avps.AvpsPackage.Literals.FIELD__READABLE;
import static dev.avps.dsl.avps.AvpsPackage.Literals.FIELD__WRITABLE;
import static dev.avps.dsl.avps.AvpsPackage.Literals.REFERABLE__NAME;
import static dev.avps.dsl.avps.AvpsPackage.Literals.STRUCT__EXPECTED_SIZE;
import static dev.avps.dsl.avps.AvpsPackage.Literals.STRUCT__NAME;
import static dev.avps.dsl.avps.AvpsPackage.Literals.VALUE_REF__TARGET;

import dev.avps.dsl.avps.BitField;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.avps.PrimitiveType;
import dev.avps.dsl.avps.Request;
import dev.avps.dsl.avps.Struct;
import dev.avps.dsl.avps.UnionCase;
import dev.avps.dsl.avps.ValueRef;
import dev.avps.dsl.layout.Expressions;
import dev.avps.dsl.layout.LayoutEngine;
import dev.avps.dsl.layout.LayoutProblem;
import dev.avps.model.ScalarType;
import dev.avps.model.StructLayout;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.validation.Check;

/**
 * Fields, arrays and bit ranges. Offsets and sizes come from the {@link LayoutEngine}, the same
 * engine the generator uses, so a layout the validator accepts is the layout that is emitted.
 */
public class LayoutValidator extends ConcernValidator {

    @Check
    public void checkLayout(Model m) {
        LayoutEngine engine = new LayoutEngine(o -> null);
        Map<EObject, StructLayout> structs = new LinkedHashMap<>();
        for (Struct s : EcoreUtil2.eAllOfType(m, Struct.class)) {
            structs.put(s, engine.layout(s));
        }
        for (Request r : EcoreUtil2.eAllOfType(m, Request.class)) {
            engine.readablePart(r);
            engine.writablePart(r);
        }
        Set<String> reported = new HashSet<>();
        for (LayoutProblem p : engine.problems()) {
            if (p.element().eResource() != m.eResource() || !reported.add(p.code() + System.identityHashCode(p.element()))) {
                continue;
            }
            if (p.error()) {
                error(p.message(), p.element(), p.feature(), p.code());
            } else {
                warning(p.message(), p.element(), p.feature(), p.code());
            }
        }
        structs.forEach((s, layout) -> {
            Struct st = (Struct) s;
            if (st.isConfig() && layout.size() > Limits.MAX_CONFIG_BYTES
                    && layout.size() <= Limits.MAX_FIXED_BYTES) {
                error("config '" + st.getName() + "' takes " + layout.size() + " bytes; a device's config space holds"
                        + " at most " + Limits.MAX_CONFIG_BYTES + " (the vhost-user and virtio-mmio config windows)", st,
                        STRUCT__NAME, IssueCodes.TOO_LARGE);
            }
            if (st.getExpectedSize() > 0 && !layout.variable() && layout.size() != st.getExpectedSize()) {
                error("struct '" + st.getName() + "' is declared as " + st.getExpectedSize() + " bytes but its fields take "
                        + layout.size(), st, STRUCT__EXPECTED_SIZE, IssueCodes.SIZE_MISMATCH);
            }
        });
    }

    @Check
    public void checkAccess(Field f) {
        boolean inRequest = f.eContainer() instanceof Request;
        boolean hasAccess = f.isReadable() || f.isWritable();
        if (inRequest && !hasAccess) {
            error("a request field must say whether the device reads it ('readable') or writes it ('writable')", f,
                    REFERABLE__NAME, IssueCodes.MISSING_ACCESS);
        } else if (!inRequest && hasAccess && !(f.eContainer() instanceof UnionCase)) {
            error("'readable' and 'writable' apply only to request fields", f,
                    f.isReadable() ? FIELD__READABLE : FIELD__WRITABLE, IssueCodes.ACCESS_OUTSIDE_REQUEST);
        }
    }

    /** A length field must come before the array it sizes, or a reader could not find it. */
    @Check
    public void checkLengthField(ValueRef ref) {
        if (!(ref.getTarget() instanceof Field len) || len.eIsProxy()) {
            return;
        }
        Field array = EcoreUtil2.getContainerOfType(ref, Field.class);
        if (array == null || array.eContainer() == null) {
            return;
        }
        // The length may sit inside an earlier struct field (header.len): compare that field.
        String head = Expressions.refText(ref).split("\\.")[0];
        List<?> siblings = (List<?>) array.eContainer().eGet(array.eContainingFeature());
        int lenIndex = -1;
        for (int i = 0; i < siblings.size(); i++) {
            if (siblings.get(i) instanceof Field f && head.equals(f.getName())) {
                lenIndex = i;
            }
        }
        if (lenIndex >= 0 && lenIndex >= siblings.indexOf(array)) {
            error("length field '" + Expressions.refText(ref) + "' must come before '" + array.getName() + "'", ref,
                    VALUE_REF__TARGET, IssueCodes.LENGTH_FIELD_ORDER);
        }
    }

    @Check
    public void checkBitfields(Field f) {
        if (f.getBitfields().isEmpty()) {
            return;
        }
        if (!(f.getType() instanceof PrimitiveType p) || f.getArray() != null) {
            error("bit ranges are allowed only inside a scalar field", f, REFERABLE__NAME, IssueCodes.BAD_BITFIELD);
            return;
        }
        int width = ScalarType.ofKeyword(p.getKind().getLiteral()).bits();
        long used = 0;
        for (BitField b : f.getBitfields()) {
            int lsb = b.getLsb();
            int msb = LayoutEngine.msb(b);
            if (msb < lsb || msb >= width) {
                error("bits " + lsb + ".." + msb + " do not fit the " + width + "-bit field '" + f.getName() + "'", b,
                        BIT_FIELD__LSB, IssueCodes.BAD_BITFIELD);
                continue;
            }
            long mask = (msb - lsb == 63 ? -1L : ((1L << (msb - lsb + 1)) - 1)) << lsb;
            if ((used & mask) != 0) {
                error("'" + b.getName() + "' overlaps another bit range of '" + f.getName() + "'", b, BIT_FIELD__LSB,
                        IssueCodes.BAD_BITFIELD);
            }
            used |= mask;
        }
    }
}
