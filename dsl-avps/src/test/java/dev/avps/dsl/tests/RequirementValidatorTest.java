package dev.avps.dsl.tests;

import static dev.avps.dsl.avps.AvpsPackage.Literals.CHECK_REF;
import static dev.avps.dsl.avps.AvpsPackage.Literals.REQUIREMENT;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.validation.IssueCodes;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The requirement rules: each once where it must fire and once where it must stay quiet. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class RequirementValidatorTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private Model dev(String members) {
        return specs.parseDevice(members);
    }

    @Test
    void aSectionIsDottedNumbers() {
        v.assertError(dev("requirement r device MUST section \"5.2.x\" \"a.\" checked by c;"), REQUIREMENT,
                IssueCodes.BAD_SECTION, "not a spec section number");
        v.assertError(dev("requirement r device MUST section \"\" \"a.\" checked by c;"), REQUIREMENT,
                IssueCodes.BAD_SECTION);
        v.assertNoIssues(dev("requirement r device MUST section \"5.2.6.2\" \"a.\" checked by c;"));
    }

    @Test
    void checkNamesAreLowerSnakeAndNamedOnce() {
        v.assertError(dev("requirement r device MUST section \"1\" \"a.\" checked by Read_Back;"), CHECK_REF,
                IssueCodes.BAD_CHECK, "lower_snake_case");
        v.assertError(dev("requirement r device MUST section \"1\" \"a.\" checked by a, b, a;"), CHECK_REF,
                IssueCodes.BAD_CHECK, "named twice");
        v.assertNoIssues(dev("requirement r device MUST section \"1\" \"a.\" checked by a, b2, c_d;"));
    }

    @Test
    void notCheckableNeedsAReason() {
        v.assertError(dev("requirement r device MUST section \"1\" \"a.\" not checkable \" \";"), REQUIREMENT,
                IssueCodes.BAD_CHECK, "reason");
    }

    @Test
    void aDeviceRequirementOfAStandardChapterCitesSectionAndStatus() {
        v.assertWarning(dev("requirement r device MUST \"a.\";"), REQUIREMENT, IssueCodes.REQUIREMENT_UNCITED,
                "no spec section and no status");
        v.assertWarning(dev("requirement r device MUST \"a.\" checked by c;"), REQUIREMENT,
                IssueCodes.REQUIREMENT_UNCITED, "no spec section");
        v.assertWarning(dev("requirement r device MUST section \"1\" \"a.\";"), REQUIREMENT,
                IssueCodes.REQUIREMENT_UNCITED, "no status");
        v.assertWarning(specs.parse("package virtio.ring;\nrequirement r device MUST \"a.\";"), REQUIREMENT,
                IssueCodes.REQUIREMENT_UNCITED, "'virtio.ring'");
    }

    @Test
    void driverRequirementsAndDraftsNeedNoCitation() {
        v.assertNoIssues(dev("requirement r driver MUST \"a.\";"));
        v.assertNoIssues(specs.parse("""
                package t;
                /** d */
                device dev { id 99; spec "1.4"; status draft; requirement r device MUST "a."; }
                """));
    }
}
