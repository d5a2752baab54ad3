package dev.avps.dsl.tests;

import static dev.avps.dsl.avps.AvpsPackage.Literals.*;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.layout.LayoutEngine;
import dev.avps.dsl.validation.IssueCodes;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Layout, access marks, length fields and bit ranges. Each rule once where it must fire and once where it must stay quiet. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class LayoutValidatorTest {

    private static final String Q = "queues { /** q */ queue q driver-to-device; }\n";

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private Model dev(String members) {
        return specs.parseDevice(members);
    }

    @Test
    void misalignedFieldWarns() {
        v.assertWarning(dev("/** s */ struct s { u8 a; le32 b; reserved u8 pad[3]; }"), FIELD, LayoutEngine.MISALIGNED,
                "offset 1");
        v.assertNoIssue(dev("/** s */ struct s { le32 b; u8 a; reserved u8 pad[3]; }"), FIELD, LayoutEngine.MISALIGNED);
    }

    @Test
    void tailPaddingWarns() {
        v.assertWarning(dev("/** s */ struct s { le32 b; u8 a; }"), STRUCT, LayoutEngine.TAIL_PADDING, "pad it to 8");
        v.assertNoIssue(dev("/** s */ struct s { le32 b; u8 a[4]; }"), STRUCT, LayoutEngine.TAIL_PADDING);
    }

    @Test
    void declaredSizeMustMatch() {
        v.assertError(dev("/** s */ struct s size 24 { le64 a; le64 b; }"), STRUCT, IssueCodes.SIZE_MISMATCH,
                "declared as 24 bytes but its fields take 16");
        v.assertNoErrors(dev("/** s */ struct s size 16 { le64 a; le64 b; }"));
    }

    @Test
    void unionLargerThanDeclaredSize() {
        v.assertError(dev("/** s */ struct s { le32 t; union u select t size 4 { case 1: le64 x; } }"), FIELD,
                LayoutEngine.UNION_TOO_SMALL);
        v.assertNoErrors(dev("/** s */ struct s { le32 t; reserved u8 p[4]; union u select t size 8 { case 1: le64 x; } }"));
    }

    /** Found by the fuzz campaign: an open array in a union case crashed the layout rule (NullPointerException). */
    @Test
    void unionCasesMustHaveFixedSizes() {
        v.assertError(dev("/** s */ struct s { le32 t; union u select t size 16 { case 1: le64 a; case 2: u8 raw[]; } }"),
                FIELD, LayoutEngine.UNION_CASE_VARIABLE, "field 'raw' of union 'u' has a run-time length");
        v.assertError(dev("/** s */ struct s { le32 t; union u select t size 16 { case 1: le32 n; u8 raw[n]; } }"),
                FIELD, LayoutEngine.UNION_CASE_VARIABLE, "field 'raw'");
        v.assertError(dev("/** o */ struct o { le32 n; u8 d[]; }\n"
                + "/** s */ struct s { le32 t; union u select t size 16 { case 1: o inner; } le32 after; }"),
                FIELD, LayoutEngine.UNION_CASE_VARIABLE, "field 'inner'");
        v.assertNoErrors(dev("/** s */ struct s { le32 t; reserved u8 p[4]; union u select t size 16 { case 1: le64 a; "
                + "case 2, 3: u8 raw[16]; } }"));
    }

    @Test
    void openArrayMustBeLastInAStruct() {
        v.assertError(dev("/** s */ struct s { u8 d[]; le32 after; }"), FIELD, LayoutEngine.VARIABLE_NOT_LAST);
        v.assertNoErrors(dev("/** s */ struct s { le32 n; u8 d[]; }"));
    }

    @Test
    void structMustNotContainItself() {
        v.assertError(dev("/** s */ struct s { le32 n; t inner; }\n/** t */ struct t { s back; }"), STRUCT,
                LayoutEngine.CYCLE);
    }

    @Test
    void requestFieldsNeedAnAccessAndOthersMustNotHaveOne() {
        v.assertError(dev(Q + "/** r */ request r on q { le32 a; }"), FIELD, IssueCodes.MISSING_ACCESS);
        v.assertError(dev("/** s */ struct s { readable le32 a; }"), FIELD, IssueCodes.ACCESS_OUTSIDE_REQUEST);
    }

    @Test
    void lengthFieldMustComeFirst() {
        v.assertError(dev(Q + "/** r */ request r on q { readable u8 d[n]; readable le32 n; }"), VALUE_REF,
                IssueCodes.LENGTH_FIELD_ORDER);
        v.assertNoErrors(dev(Q + "/** r */ request r on q { readable le32 n; readable u8 d[n]; writable u8 s; }"));
    }

    @Test
    void bitRangesMustFitAndNotOverlap() {
        v.assertError(dev("/** s */ struct s { u8 f { bits 4..8 x; } }"), BIT_FIELD, IssueCodes.BAD_BITFIELD,
                "do not fit the 8-bit field");
        v.assertError(dev("/** s */ struct s { u8 f { bits 0..3 x; bit 2 y; } }"), BIT_FIELD, IssueCodes.BAD_BITFIELD,
                "overlaps");
        v.assertNoErrors(dev("/** s */ struct s { le64 f { bits 0..62 x; bit 63 y; } }"));
    }
}
