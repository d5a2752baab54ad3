package dev.avps.dsl.tests;

import static dev.avps.dsl.avps.AvpsPackage.Literals.*;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.layout.LayoutEngine;
import dev.avps.dsl.load.SpecLoader;
import dev.avps.dsl.validation.IssueCodes;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 19, finding 9: sizes, counts and indexes against their ranges and the stated limits
 * ({@link dev.avps.dsl.validation.Limits}), with exact arithmetic (nothing wraps through 64 bits).
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class LimitsValidatorTest {

    private static final String Q = "queues { /** q */ queue q driver-to-device; }\n";

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private Model dev(String members) {
        return specs.parseDevice(members);
    }

    @Test
    void hugeArraysAreErrors() {
        v.assertError(dev("/** s */ struct s { u8 x[100000000]; }"), ARRAY_SPEC, LayoutEngine.TOO_LARGE,
                "over the 65536-byte limit");
        v.assertError(dev("/** s */ struct s { le64 x[8193]; }"), ARRAY_SPEC, LayoutEngine.TOO_LARGE);
        v.assertNoErrors(dev("/** s */ struct s { u8 x[65536]; }"));
        v.assertNoErrors(dev("/** s */ struct s { le64 x[8192]; }"));
    }

    @Test
    void manyFieldsTogetherOverTheLimitAreAnError() {
        v.assertError(dev("/** s */ struct s { u8 a[40000]; u8 b[40000]; }"), STRUCT, LayoutEngine.TOO_LARGE,
                "struct 's' takes more than the 65536-byte limit");
        v.assertError(dev(Q + "/** r */ request r on q { readable u8 a[40000]; readable u8 b[40000]; }"), REQUEST,
                LayoutEngine.TOO_LARGE, "device-readable part of request 'r'");
    }

    @Test
    void arraySizesThatOverflowOrDivideByZero() {
        v.assertError(dev("/** s */ struct s { u8 x[18446744073709551616]; }"), ARRAY_SPEC, LayoutEngine.BAD_LENGTH,
                "does not fit 64 bits");
        v.assertError(dev("/** b */ const BIG : le64 = 0x100000000;\n/** s */ struct s { u8 x[BIG*BIG]; }"),
                ARRAY_SPEC, LayoutEngine.BAD_LENGTH, "does not fit 64 bits");
        v.assertError(dev("/** s */ struct s { u8 x[10/0]; }"), ARRAY_SPEC, LayoutEngine.BAD_LENGTH,
                "division by zero");
        v.assertError(dev("/** s */ struct s { u8 x[0-1]; }"), ARRAY_SPEC, LayoutEngine.BAD_LENGTH, "negative");
        v.assertError(dev(Q + "/** r */ request r on q { readable le32 n; readable u8 x[n/0]; }"), ARRAY_SPEC,
                LayoutEngine.BAD_LENGTH, "division by zero");
    }

    @Test
    void configMustFitTheConfigWindow() {
        v.assertError(dev("/** c */ config c { u8 x[257]; }"), STRUCT, IssueCodes.TOO_LARGE, "at most 256");
        v.assertNoErrors(dev("/** c */ config c { u8 x[256]; }"));
    }

    @Test
    void groupCountsMustBeBetweenOneAnd65536() {
        for (String count : new String[] {"18446744073709551616", "0-1", "10/0", "0", "65537"}) {
            v.assertError(dev("queues { /** g */ group g count " + count + " { /** q */ queue q driver-to-device; } }"),
                    QUEUE_GROUP, IssueCodes.QUEUE_RANGE);
        }
        v.assertNoErrors(dev("queues { /** g */ group g count 3 { /** q */ queue q driver-to-device; } }"));
    }

    @Test
    void queueIndexesMustFitSixteenBits() {
        v.assertError(dev("queues { /** q */ queue q driver-to-device index 65536; }"), QUEUE, IssueCodes.QUEUE_RANGE,
                "outside 0..65535");
        v.assertError(dev("queues { /** q */ queue q driver-to-device index 4294967296; }"), QUEUE,
                IssueCodes.QUEUE_RANGE);
        v.assertError(dev("queues { /** q */ queue q driver-to-device index 65535; /** r */ queue r driver-to-device; }"),
                QUEUE, IssueCodes.QUEUE_RANGE, "would reach queue index 65536");
        v.assertError(dev("queues { /** g */ group g count 40000 { /** a */ queue a driver-to-device;"
                + " /** b */ queue b driver-to-device; } }"), QUEUE_GROUP, IssueCodes.QUEUE_RANGE, "79999");
        v.assertNoErrors(dev("queues { /** q */ queue q driver-to-device index 65535; }"));
    }

    @Test
    void selectorValuesAndUnionLabelsMustFitTheirField() {
        v.assertError(dev(Q + "/** r */ request r on q where t == 70000 { readable le16 t; }"), REQUEST,
                IssueCodes.VALUE_OVERFLOW, "does not fit the le16 selector");
        v.assertError(dev(Q + "/** r */ request r on q where t == 18446744073709551616 { readable le64 t; }"), REQUEST,
                IssueCodes.VALUE_OVERFLOW);
        v.assertError(dev(Q + "/** r */ request r on q where t == 10/0 { readable le32 t; }"), REQUEST,
                IssueCodes.BAD_VALUE, "division by zero");
        v.assertError(dev("/** s */ struct s { u8 t; union u select t { case 256: le32 a; } }"), UNION_CASE,
                IssueCodes.VALUE_OVERFLOW, "u8 selector");
        v.assertNoErrors(dev(Q + "/** r */ request r on q where t == 0xFFFFFFFFFFFFFFFF { readable le64 t; }"));
        v.assertNoErrors(dev("/** s */ struct s { u8 t; union u select t { case 255: le32 a; } }"));
    }

    @Test
    void bitNumbersAndDeclaredSizesOverAnIntSayWhy() {
        SpecLoader.Result r = SpecLoader.create().checkText("b.avps", Specs.device(
                "features { /** a */ bit 99999999999 A; }\n/** s */ struct s size 18446744073709551616 { u8 x; }"));
        assertEquals(2, r.diagnostics().stream().filter(d -> d.message().endsWith("is too large here: bit numbers"
                + " and sizes must be at most 2147483647")).count(), r.diagnostics().toString());
    }
}
