package dev.avps.dsl.tests;

import static dev.avps.dsl.avps.AvpsPackage.Literals.*;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.validation.IssueCodes;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Enum values and constants. Each rule once where it must fire and once where it must stay quiet. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class ValueValidatorTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private Model dev(String members) {
        return specs.parseDevice(members);
    }

    @Test
    void enumValuesCollide() {
        v.assertError(dev("/** e */ enum e : u8 { A = 1; B = 1; }"), ENUM_LITERAL, IssueCodes.ENUM_COLLISION,
                "same value 1 as 'A'");
        v.assertNoErrors(dev("/** e */ enum e : u8 { A = 1; B = 2; }"));
    }

    @Test
    void enumAndConstantValuesMustFitTheirType() {
        v.assertError(dev("/** e */ enum e : u8 { A = 256; }"), ENUM_LITERAL, IssueCodes.VALUE_OVERFLOW, "does not fit u8");
        v.assertError(dev("/** c */ const C : le16 = 0x10000;"), CONSTANT, IssueCodes.VALUE_OVERFLOW);
        v.assertNoErrors(dev("/** e */ enum e : u8 { A = 255; }\n/** c */ const C : le16 = 0xFFFF;"));
    }
}
