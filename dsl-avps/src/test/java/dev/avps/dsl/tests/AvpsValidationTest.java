package dev.avps.dsl.tests;

import static dev.avps.dsl.avps.AvpsPackage.Literals.*;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.layout.LayoutEngine;
import dev.avps.dsl.validation.IssueCodes;
import java.util.List;
import org.eclipse.xtext.diagnostics.Diagnostic;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.eclipse.xtext.validation.Issue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each validation rule, once where it must fire and once where it must stay quiet. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class AvpsValidationTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private Model dev(String members) {
        return specs.parseDevice(members);
    }

    // ---- duplicate names

    @Test
    void duplicateNamesInOneScope() {
        v.assertError(dev("/** a */ struct s { u8 a; }\n/** b */ struct s { u8 b; }"), STRUCT, null, "Duplicate");
        v.assertError(dev("/** a */ struct s { u8 a; le16 a; }"), FIELD, null, "Duplicate");
    }

    @Test
    void sameNamesInDifferentScopesAreFine() {
        v.assertNoErrors(dev("/** a */ struct s { u8 a; }\n/** b */ struct t { u8 a; }"));
    }

    // ---- device IDs

    @Test
    void duplicateDeviceIdAcrossFiles() {
        List<Model> ms = specs.parseAll("package a;\n/** a */ device a { id 7; spec \"1.4\"; }",
                "package b;\n/** b */ device b { id 7; spec \"1.4\"; }");
        v.assertError(ms.get(1), DEVICE, IssueCodes.DUPLICATE_DEVICE_ID, "already used by device 'a.a'");
    }

    @Test
    void distinctDeviceIdsAcrossFiles() {
        List<Model> ms = specs.parseAll("package a;\n/** a */ device a { id 7; spec \"1.4\"; }",
                "package b;\n/** b */ device b { id 8; spec \"1.4\"; }");
        v.assertNoErrors(ms.get(0));
        v.assertNoErrors(ms.get(1));
    }

    @Test
    void deviceIdMustFitSixteenBits() {
        v.assertError(specs.parse("package a;\n/** a */ device a { id 65536; spec \"1.4\"; }"), DEVICE,
                IssueCodes.DEVICE_ID_RANGE);
        v.assertNoError(specs.parse("package a;\n/** a */ device a { id 65535; spec \"1.4\"; }"),
                IssueCodes.DEVICE_ID_RANGE);
    }

    // ---- feature bits

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

    // ---- enums and constants

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

    // ---- layout

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

    // ---- requests

    private static final String Q = "queues { /** q */ queue q driver-to-device; }\n";

    @Test
    void readableAfterWritable() {
        v.assertError(dev(Q + "/** r */ request r on q { readable le32 a; writable u8 s; readable u8 late; }"), FIELD,
                IssueCodes.READABLE_AFTER_WRITABLE, "'late' follows writable field 's'");
        v.assertNoErrors(dev(Q + "/** r */ request r on q { readable le32 a; readable u8 b[]; writable u8 s; }"));
    }

    @Test
    void requestFieldsNeedAnAccessAndOthersMustNotHaveOne() {
        v.assertError(dev(Q + "/** r */ request r on q { le32 a; }"), FIELD, IssueCodes.MISSING_ACCESS);
        v.assertError(dev("/** s */ struct s { readable le32 a; }"), FIELD, IssueCodes.ACCESS_OUTSIDE_REQUEST);
    }

    @Test
    void discriminatorMustBeAReadableScalar() {
        v.assertError(dev(Q + "/** h */ struct h { le32 t; }\n/** r */ request r on q where hd == 1 { readable h hd; }"),
                FIELD_PATH, IssueCodes.BAD_DISCRIMINATOR, "scalar");
        v.assertError(dev(Q + "/** r */ request r on q where t == 1 { writable le32 t; }"), REQUEST,
                IssueCodes.BAD_DISCRIMINATOR, "not readable");
        v.assertNoErrors(dev(Q + "/** h */ struct h { le32 t; }\n/** r */ request r on q where hd.t == 1 { readable h hd; }"));
    }

    @Test
    void oneValueSelectsOneFormatPerQueue() {
        v.assertError(dev(Q + "/** a */ request a on q where t == 1 { readable le32 t; }\n"
                + "/** b */ request b on q where t in (2, 1) { readable le32 t; }"), REQUEST, IssueCodes.AMBIGUOUS_REQUEST,
                "t == 1 already selects request 'a'");
        v.assertWarning(dev(Q + "/** a */ request a on q where t == 1 { readable le32 t; }\n"
                + "/** b */ request b on q { readable le32 t; }"), REQUEST, IssueCodes.AMBIGUOUS_REQUEST, "needs a 'where'");
        v.assertNoErrors(dev(Q + "/** a */ request a on q where t == 1 { readable le32 t; }\n"
                + "/** b */ request b on q where t in (2, 3) { readable le32 t; }"));
    }

    @Test
    void maskedSelectorsTellFormatsApartByTheirBits() {
        v.assertNoErrors(dev(Q + "/** w */ request w on q where f & 2 == 0 { readable le32 f; }\n"
                + "/** r */ request r on q where f & 2 == 2 { readable le32 f; }"));
        v.assertError(dev(Q + "/** r */ request r on q where f & 2 == 3 { readable le32 f; }"), REQUEST,
                IssueCodes.MASKED_VALUE, "bits outside the mask 0x2");
        v.assertError(dev(Q + "/** w */ request w on q where f & 2 == 0 { readable le32 f; }\n"
                + "/** r */ request r on q where f == 2 { readable le32 f; }"), REQUEST, IssueCodes.AMBIGUOUS_REQUEST,
                "selects by f but 'w' on the same queue selects by other bits");
        // two paths to the same bytes are one selector
        v.assertNoErrors(dev(Q + "/** h */ struct h { le32 t; }\n/** c */ struct c { h hdr; }\n"
                + "/** a */ request a on q where hdr.t == 1 { readable h hdr; }\n"
                + "/** b */ request b on q where cmd.hdr.t == 2 { readable c cmd; }"));
    }

    @Test
    void selectorValuesMustBeConstant() {
        v.assertError(dev(Q + "/** r */ request r on q where t == n { readable le32 t; readable le32 n; }"), REQUEST,
                IssueCodes.NOT_CONSTANT);
    }

    @Test
    void lengthFieldMustComeFirst() {
        v.assertError(dev(Q + "/** r */ request r on q { readable u8 d[n]; readable le32 n; }"), VALUE_REF,
                IssueCodes.LENGTH_FIELD_ORDER);
        v.assertNoErrors(dev(Q + "/** r */ request r on q { readable le32 n; readable u8 d[n]; writable u8 s; }"));
    }

    // ---- bit ranges

    @Test
    void bitRangesMustFitAndNotOverlap() {
        v.assertError(dev("/** s */ struct s { u8 f { bits 4..8 x; } }"), BIT_FIELD, IssueCodes.BAD_BITFIELD,
                "do not fit the 8-bit field");
        v.assertError(dev("/** s */ struct s { u8 f { bits 0..3 x; bit 2 y; } }"), BIT_FIELD, IssueCodes.BAD_BITFIELD,
                "overlaps");
        v.assertNoErrors(dev("/** s */ struct s { le64 f { bits 0..62 x; bit 63 y; } }"));
    }

    // ---- names and docs

    @Test
    void cKeywordIsAnError() {
        List<Issue> issues = v.validate(dev("/** s */ struct s { u8 default; }"));
        v.assertError(dev("/** s */ struct s { u8 default; }"), FIELD, IssueCodes.C_KEYWORD, "C keyword");
        org.junit.jupiter.api.Assertions.assertEquals(List.of("default", "default_"), List.of(
                issues.stream().filter(i -> IssueCodes.C_KEYWORD.equals(i.getCode())).findFirst().orElseThrow().getData()));
    }

    @Test
    void explicitCNameAvoidsTheCKeyword() {
        v.assertNoError(dev("/** s */ struct s { u8 default c-name \"dflt\"; }"), IssueCodes.C_KEYWORD);
    }

    @Test
    void javaKeywordIsAWarning() {
        v.assertWarning(dev("/** s */ struct s { u8 class; u8 cmd; }"), FIELD, IssueCodes.JAVA_KEYWORD, "class_");
        v.assertNoIssue(dev("/** s */ struct s { u8 klass; }"), FIELD, IssueCodes.JAVA_KEYWORD);
    }

    @Test
    void missingDocWarns() {
        v.assertWarning(dev("struct s { u8 a; }"), STRUCT, IssueCodes.MISSING_DOC, "struct 's' has no doc comment");
        v.assertWarning(dev("features { bit 1 A; }"), FEATURE, IssueCodes.MISSING_DOC);
        v.assertNoIssue(dev("/** documented */ struct s { u8 a; }"), STRUCT, IssueCodes.MISSING_DOC);
    }

    // ---- placement

    @Test
    void elementsMustBeWhereTheyBelong() {
        v.assertError(specs.parse("package p;\nqueues { /** q */ queue q driver-to-device; }"), QUEUES,
                IssueCodes.MISPLACED);
        v.assertError(specs.parse("package p;\n/** c */ config c { u8 a; }"), STRUCT, IssueCodes.MISPLACED);
        v.assertError(dev("features { /** a */ bit 1 A; }\nfeatures { /** b */ bit 2 B; }"), DEVICE_FEATURES,
                IssueCodes.DUPLICATE_BLOCK);
    }
}
