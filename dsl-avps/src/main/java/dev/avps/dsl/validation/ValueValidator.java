package dev.avps.dsl.validation;

import static dev.avps.dsl.avps.AvpsPackage.Literals.CONSTANT__VALUE;
import static dev.avps.dsl.avps.AvpsPackage.Literals.ENUM_LITERAL__VALUE;

import dev.avps.dsl.avps.Constant;
import dev.avps.dsl.avps.Enum;
import dev.avps.dsl.avps.EnumLiteral;
import dev.avps.model.ScalarType;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.xtext.validation.Check;

/** Enum values and constants: each fits its scalar type, no two literals of an enum share a value. */
public class ValueValidator extends ConcernValidator {

    @Check
    public void checkEnum(Enum e) {
        ScalarType type = ScalarType.ofKeyword(e.getType().getLiteral());
        Map<BigInteger, EnumLiteral> seen = new HashMap<>();
        for (EnumLiteral l : e.getLiterals()) {
            if (l.getValue() == null) {
                continue;
            }
            if (!fits(l.getValue(), type)) {
                error("value " + l.getValue() + " of '" + l.getName() + "' does not fit " + type.keyword(), l,
                        ENUM_LITERAL__VALUE, IssueCodes.VALUE_OVERFLOW);
            }
            EnumLiteral first = seen.putIfAbsent(l.getValue(), l);
            if (first != null) {
                error("'" + l.getName() + "' has the same value " + l.getValue() + " as '" + first.getName() + "'", l,
                        ENUM_LITERAL__VALUE, IssueCodes.ENUM_COLLISION);
            }
        }
    }

    @Check
    public void checkConstant(Constant c) {
        ScalarType type = ScalarType.ofKeyword(c.getType().getLiteral());
        if (c.getValue() != null && !fits(c.getValue(), type)) {
            error("value " + c.getValue() + " does not fit " + type.keyword(), c, CONSTANT__VALUE,
                    IssueCodes.VALUE_OVERFLOW);
        }
    }

    static boolean fits(BigInteger v, ScalarType t) {
        return v.signum() >= 0 && v.bitLength() <= t.bits();
    }
}
