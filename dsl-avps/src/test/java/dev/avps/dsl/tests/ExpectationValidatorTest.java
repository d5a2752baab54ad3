package dev.avps.dsl.tests;

import static dev.avps.dsl.avps.AvpsPackage.Literals.EXPECTATION;
import static dev.avps.dsl.avps.AvpsPackage.Literals.REQUIREMENT;
import static dev.avps.dsl.avps.AvpsPackage.Literals.VALUE_REF;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.validation.IssueCodes;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The inline-check rules: each once where it must fire and once where it must stay quiet. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class ExpectationValidatorTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private static final String DEVICE = """
            features { /** z */ bit 3 Z; }
            /** inner */ struct limits { le32 hi; le32 lo; }
            /** m */ enum mode : u8 { A = 0; B = 1; }
            /** o */ enum other : u8 { C = 0; }
            config cfg {
                le16 n;
                u8 tag[4];
                mode md;
                u8 pad;
                limits lim;
            }
            """;

    private Model dev(String requirement) {
        return specs.parseDevice(DEVICE + requirement);
    }

    private static String req(String party, String expectations) {
        return "requirement r " + party + " MUST section \"1\" \"x.\" expect " + expectations + ";";
    }

    @Test
    void wellFormedExpectationsPass() {
        v.assertNoErrors(dev(req("device", "config n >= 1, config md <= B when Z, config lim.hi > lim.lo")));
    }

    @Test
    void onlyADeviceRequirementExpects() {
        v.assertError(dev(req("driver", "config n >= 1")), REQUIREMENT, IssueCodes.BAD_EXPECTATION,
                "only a device requirement");
    }

    @Test
    void expectAndNotCheckableContradictEachOther() {
        v.assertError(dev("requirement r device MUST section \"1\" \"x.\" expect config n >= 1 not checkable \"no\";"),
                REQUIREMENT, IssueCodes.BAD_EXPECTATION, "not checkable");
    }

    @Test
    void theRequirementNameMustMakeACheckName() {
        v.assertError(dev("requirement Big_r device MUST section \"1\" \"x.\" expect config n >= 1;"), REQUIREMENT,
                IssueCodes.BAD_EXPECTATION, "Big_r_expect");
    }

    @Test
    void theFieldIsASingleNumber() {
        v.assertError(dev(req("device", "config tag >= 1")), EXPECTATION, IssueCodes.BAD_EXPECTATION, "is an array");
        v.assertError(dev(req("device", "config lim >= 1")), EXPECTATION, IssueCodes.BAD_EXPECTATION, "is a struct");
    }

    @Test
    void operandsAreNumbersOfTheRightKind() {
        v.assertError(dev(req("device", "config n >= tag")), VALUE_REF, IssueCodes.BAD_EXPECTATION, "is an array");
        v.assertError(dev(req("device", "config md == C")), VALUE_REF, IssueCodes.BAD_EXPECTATION,
                "'C' is no value of mode");
        v.assertNoErrors(dev(req("device", "config n >= B")));
    }

    @Test
    void aLiteralBoundTheFieldCannotHoldIsASlip() {
        v.assertError(dev(req("device", "config n < 65536")), EXPECTATION, IssueCodes.BAD_EXPECTATION,
                "outside the values le16 'n' can hold");
        v.assertNoErrors(dev(req("device", "config n <= 65535")));
    }

    @Test
    void anExpectationIsAStatusForTheCitationRule() {
        var uncited = v.validate(dev(req("device", "config n >= 1"))).stream()
                .filter(i -> IssueCodes.REQUIREMENT_UNCITED.equals(i.getCode())).toList();
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), uncited);
        v.assertWarning(dev("requirement r device MUST section \"1\" \"x.\";"), REQUIREMENT,
                IssueCodes.REQUIREMENT_UNCITED, "'expect', 'checked by' or 'not checkable'");
    }
}
