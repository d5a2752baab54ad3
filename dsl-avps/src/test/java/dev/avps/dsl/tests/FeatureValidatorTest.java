package dev.avps.dsl.tests;

import static dev.avps.dsl.avps.AvpsPackage.Literals.*;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.validation.IssueCodes;
import org.eclipse.xtext.diagnostics.Diagnostic;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Feature bits: ranges, one name per bit, foreign features, cycles. Each rule once where it must fire and once where it must stay quiet. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class FeatureValidatorTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private Model dev(String members) {
        return specs.parseDevice(members);
    }

    @Test
    void deviceBitInTransportRangeIsRejected() {
        v.assertError(dev("features { /** x */ bit 28 X; }"), FEATURE, IssueCodes.BIT_OUT_OF_RANGE, "0..23 and 50..127");
        v.assertError(dev("features { /** x */ bit 128 X; }"), FEATURE, IssueCodes.BIT_OUT_OF_RANGE, "beyond 127");
    }

    @Test
    void deviceBitsInDeviceRangesAndLegacyExceptionsAreAccepted() {
        // net keeps its legacy GUEST_RSC4/6 at 41/42, inside the reserved range
        v.assertNoErrors(dev("features { /** a */ bit 0 A; /** b */ bit 23 B; /** c */ bit 50 C; /** d */ bit 127 D;"
                + " /** e */ legacy bit 41 E; /** f */ legacy bit 42 F; }"));
    }

    @Test
    void transportSetMustStayInTransportRange() {
        v.assertError(specs.parse("package p;\n/** t */ features tr { /** x */ bit 3 X; }"), FEATURE,
                IssueCodes.BIT_OUT_OF_RANGE, "24..41");
        v.assertNoErrors(specs.parse("package p;\n/** t */ features tr { /** x */ bit 30 X; }"));
    }

    @Test
    void twoFeaturesOnOneBit() {
        v.assertError(dev("features { /** a */ bit 3 A; /** b */ bit 3 B; }"), FEATURE, IssueCodes.DUPLICATE_BIT,
                "already taken by feature 'A'");
        v.assertNoErrors(dev("features { /** a */ bit 3 A alias B; }"));
    }

    @Test
    void aliasMustNotShadowAFeature() {
        v.assertError(dev("features { /** a */ bit 3 A alias B; /** b */ bit 4 B; }"), FEATURE,
                IssueCodes.DUPLICATE_ALIAS);
    }

    @Test
    void whenOnUnknownFeature() {
        v.assertError(dev("/** c */ config c { le32 x when NOPE; }"), FEATURE_REF, Diagnostic.LINKING_DIAGNOSTIC,
                "NOPE");
        v.assertNoErrors(dev("features { /** y */ bit 1 YES; }\n/** c */ config c { le32 x when YES && VERSION_1; }"));
    }

    @Test
    void conditionMustNotUseAnotherDevicesFeature() {
        Model m = specs.parse("""
                package p;
                /** a */ device a { id 1; spec "1.4"; features { /** x */ bit 1 X; } }
                /** b */ device b { id 2; spec "1.4"; /** c */ config c { le32 v when a.X; } }
                """);
        v.assertError(m, FEATURE_REF, IssueCodes.FOREIGN_FEATURE, "belongs to device 'a'");
    }

    @Test
    void dependencyCycle() {
        v.assertError(dev("features { /** a */ bit 1 A requires B; /** b */ bit 2 B requires C; /** c */ bit 3 C requires A; }"),
                FEATURE, IssueCodes.FEATURE_CYCLE, "A -> B -> C -> A");
        v.assertNoErrors(dev("features { /** a */ bit 1 A requires B && VERSION_1; /** b */ bit 2 B requires C; /** c */ bit 3 C; }"));
    }
}
