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

/** Doc comments. Each rule once where it must fire and once where it must stay quiet. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class DocValidatorTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private Model dev(String members) {
        return specs.parseDevice(members);
    }

    @Test
    void missingDocWarns() {
        v.assertWarning(dev("struct s { u8 a; }"), STRUCT, IssueCodes.MISSING_DOC, "struct 's' has no doc comment");
        v.assertWarning(dev("features { bit 1 A; }"), FEATURE, IssueCodes.MISSING_DOC);
        v.assertNoIssue(dev("/** documented */ struct s { u8 a; }"), STRUCT, IssueCodes.MISSING_DOC);
    }
}
