package dev.avps.dsl.validation;

import static dev.avps.dsl.avps.AvpsPackage.Literals.EXPECTATION__BOUND;
import static dev.avps.dsl.avps.AvpsPackage.Literals.EXPECTATION__FIELD;
import static dev.avps.dsl.avps.AvpsPackage.Literals.REQUIREMENT__EXPECTATIONS;
import static dev.avps.dsl.avps.AvpsPackage.Literals.REQUIREMENT__NAME;
import static dev.avps.dsl.avps.AvpsPackage.Literals.VALUE_REF__TARGET;

import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.DeviceExtension;
import dev.avps.dsl.avps.Enum;
import dev.avps.dsl.avps.EnumLiteral;
import dev.avps.dsl.avps.Expectation;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.NamedType;
import dev.avps.dsl.avps.Party;
import dev.avps.dsl.avps.PrimitiveType;
import dev.avps.dsl.avps.Requirement;
import dev.avps.dsl.avps.ValueRef;
import dev.avps.dsl.layout.Expressions;
import dev.avps.model.ScalarType;
import java.math.BigInteger;
import java.util.regex.Pattern;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.validation.Check;

/**
 * Inline checks ({@code expect config FIELD OP BOUND}): what a conformance runner can evaluate
 * from the model alone. It reads the field from the device's config space, so the requirement must
 * be the device's, the field a plain number, and the bound made of numbers, constants, enum values
 * and other such fields.
 */
public class ExpectationValidator extends ConcernValidator {

    /** The runner reports the expectations as the check {@code <requirement>_expect}: a check name's form. */
    private static final Pattern CHECK_ID = Pattern.compile("[a-z][a-z0-9_]*");

    @Check
    public void checkRequirement(Requirement r) {
        if (r.getExpectations().isEmpty()) {
            return;
        }
        if (r.getParty() != Party.DEVICE) {
            error("'expect' reads the device's config space: only a device requirement can say it", r,
                    REQUIREMENT__EXPECTATIONS, 0, IssueCodes.BAD_EXPECTATION);
        } else if (!(r.eContainer() instanceof Device) && !(r.eContainer() instanceof DeviceExtension)) {
            error("'expect' needs a device's config space: declare requirement '" + r.getName() + "' inside its device",
                    r, REQUIREMENT__EXPECTATIONS, 0, IssueCodes.BAD_EXPECTATION);
        }
        if (r.isNotCheckable()) {
            error("requirement '" + r.getName() + "' cannot both 'expect' a bound and be 'not checkable'", r,
                    REQUIREMENT__EXPECTATIONS, 0, IssueCodes.BAD_EXPECTATION);
        }
        if (r.getName() != null && !CHECK_ID.matcher(r.getName()).matches()) {
            error("a requirement with 'expect' gives its check the name '" + r.getName()
                    + "_expect': write the requirement name in lower_snake_case", r, REQUIREMENT__NAME,
                    IssueCodes.BAD_EXPECTATION);
        }
    }

    @Check
    public void checkField(Expectation e) {
        Field f = e.getField();
        if (f == null || f.eIsProxy()) {
            return; // the linker has reported it
        }
        String why = notComparable(f);
        if (why != null) {
            error("config field '" + f.getName() + "' " + why + (why.startsWith("is inside") ? ""
                    : ": 'expect' compares a single number"), e, EXPECTATION__FIELD, IssueCodes.BAD_EXPECTATION);
            return;
        }
        checkBoundFits(e, f);
    }

    @Check
    public void checkOperands(Expectation e) {
        for (ValueRef ref : Expressions.refsIn(e.getBound())) {
            if (ref.getTarget() instanceof Field g && !g.eIsProxy()) {
                String why = notAPlainNumber(g);
                if (why != null) {
                    error("config field '" + g.getName() + "' " + why + ": a bound uses single numbers", ref,
                            VALUE_REF__TARGET, IssueCodes.BAD_EXPECTATION);
                }
            } else if (ref.getTarget() instanceof EnumLiteral l && e.getField() != null && !e.getField().eIsProxy()
                    && e.getField().getType() instanceof NamedType n && n.getType() instanceof Enum fieldEnum
                    && l.eContainer() != fieldEnum) {
                error("'" + l.getName() + "' is no value of " + fieldEnum.getName() + ", the type of '"
                        + e.getField().getName() + "'", ref, VALUE_REF__TARGET, IssueCodes.BAD_EXPECTATION);
            }
        }
    }

    /**
     * Why a config field cannot be read as one number at a fixed place (not a plain number, or
     * inside a union, whose bytes depend on the case), or null when it can.
     */
    static String notComparable(Field f) {
        String why = notAPlainNumber(f);
        if (why != null) {
            return why;
        }
        for (Field outer = EcoreUtil2.getContainerOfType(f.eContainer(), Field.class); outer != null;
                outer = EcoreUtil2.getContainerOfType(outer.eContainer(), Field.class)) {
            if (outer.isUnion()) {
                return "is inside union '" + outer.getName() + "': its bytes depend on the case";
            }
        }
        return null;
    }

    /** Why the field cannot be compared, or null for a scalar or enum field that is no array. */
    private static String notAPlainNumber(Field f) {
        if (f.isUnion()) {
            return "is a union";
        }
        if (f.getArray() != null) {
            return "is an array";
        }
        if (f.getType() instanceof NamedType n && !(n.getType() instanceof Enum)) {
            return "is a struct";
        }
        return null;
    }

    /** A literal bound the field's width cannot reach makes the outcome fixed: a slip, reported. */
    private void checkBoundFits(Expectation e, Field f) {
        ScalarType type = scalarOf(f);
        BigInteger bound = Expressions.constant(e.getBound());
        if (type == null || bound == null) {
            return;
        }
        if (bound.signum() < 0 || bound.bitLength() > type.bits()) {
            error("bound " + bound + " is outside the values " + type.keyword() + " '" + f.getName()
                    + "' can hold, so the comparison's outcome is fixed", e, EXPECTATION__BOUND,
                    IssueCodes.BAD_EXPECTATION);
        }
    }

    static ScalarType scalarOf(Field f) {
        if (f.getType() instanceof PrimitiveType p) {
            return ScalarType.ofKeyword(p.getKind().getLiteral());
        }
        if (f.getType() instanceof NamedType n && n.getType() instanceof Enum en && en.getType() != null) {
            return ScalarType.ofKeyword(en.getType().getLiteral());
        }
        return null;
    }
}
