package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.inject.Inject;
import dev.avps.dsl.avps.AvpsPackage;
import dev.avps.dsl.avps.Constant;
import dev.avps.dsl.avps.Expectation;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.avps.Struct;
import dev.avps.dsl.avps.ValueRef;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.diagnostics.Diagnostic;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What {@code expect config FIELD OP BOUND} names resolve to: the device's config fields, and only those. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class ExpectationScopingTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private static final String DEVICE = """
            /** inner */ struct limits { le32 hi; le32 lo; }
            config cfg { le16 n; le16 m; limits lim; }
            /** other */ struct other { le32 size_other; }
            const K : le32 = 3;
            """;

    private Model dev(String requirement) {
        return specs.parseDevice(DEVICE + requirement);
    }

    @Test
    void theFieldIsAConfigFieldOfTheDevice() {
        Model m = dev("requirement r device MUST section \"1\" \"x.\" expect config n >= 1;");
        v.assertNoErrors(m);
        Expectation e = EcoreUtil2.eAllOfType(m, Expectation.class).get(0);
        assertEquals("n", e.getField().getName());
        assertEquals("cfg", ((Struct) e.getField().eContainer()).getName());
    }

    @Test
    void aDottedPathReachesIntoAStructField() {
        Model m = dev("requirement r device MUST section \"1\" \"x.\" expect config lim.hi >= lim.lo;");
        v.assertNoErrors(m);
        Expectation e = EcoreUtil2.eAllOfType(m, Expectation.class).get(0);
        assertEquals("hi", e.getField().getName());
        assertEquals("limits", ((Struct) e.getField().eContainer()).getName());
        ValueRef bound = (ValueRef) e.getBound();
        assertEquals("lo", ((Field) bound.getTarget()).getName());
    }

    @Test
    void theBoundSeesConfigFieldsAndConstants() {
        Model m = dev("requirement r device MUST section \"1\" \"x.\" expect config n <= m * K;");
        v.assertNoErrors(m);
        var refs = EcoreUtil2.eAllOfType(m, ValueRef.class);
        assertEquals("m", ((Field) refs.get(0).getTarget()).getName());
        assertSame(EcoreUtil2.eAllOfType(m, Constant.class).get(0), refs.get(1).getTarget());
    }

    @Test
    void aFieldOfAnotherStructDoesNotResolve() {
        v.assertError(dev("requirement r device MUST section \"1\" \"x.\" expect config size_other >= 1;"),
                AvpsPackage.Literals.EXPECTATION, Diagnostic.LINKING_DIAGNOSTIC, "size_other");
        v.assertError(dev("requirement r device MUST section \"1\" \"x.\" expect config n >= size_other;"),
                AvpsPackage.Literals.VALUE_REF, Diagnostic.LINKING_DIAGNOSTIC, "size_other");
    }

    @Test
    void aRequirementOutsideADeviceHasNoConfigToName() {
        v.assertError(specs.parse("package t;\nrequirement r device MUST \"x.\" expect config n >= 1;"),
                AvpsPackage.Literals.EXPECTATION, Diagnostic.LINKING_DIAGNOSTIC, "n");
    }

    @Test
    void aFieldNamedExpectCanBeExpected() {
        Model m = specs.parseDevice("config cfg { le16 expect; le16 config; }\n"
                + "requirement expect device MUST section \"1\" \"x.\" expect config expect >= config;");
        v.assertNoErrors(m);
        Expectation e = EcoreUtil2.eAllOfType(m, Expectation.class).get(0);
        assertEquals("expect", e.getField().getName());
        assertEquals("config", ((Field) ((ValueRef) e.getBound()).getTarget()).getName());
    }
}
