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

/** Where elements may stand. Each rule once where it must fire and once where it must stay quiet. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class PlacementValidatorTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private Model dev(String members) {
        return specs.parseDevice(members);
    }

    @Test
    void elementsMustBeWhereTheyBelong() {
        v.assertError(specs.parse("package p;\nqueues { /** q */ queue q driver-to-device; }"), QUEUES,
                IssueCodes.MISPLACED);
        v.assertError(specs.parse("package p;\n/** c */ config c { u8 a; }"), STRUCT, IssueCodes.MISPLACED);
        v.assertError(dev("features { /** a */ bit 1 A; }\nfeatures { /** b */ bit 2 B; }"), DEVICE_FEATURES,
                IssueCodes.DUPLICATE_BLOCK);
    }
}
