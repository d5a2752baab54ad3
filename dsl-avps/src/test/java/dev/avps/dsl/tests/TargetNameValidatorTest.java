package dev.avps.dsl.tests;

import static dev.avps.dsl.avps.AvpsPackage.Literals.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.validation.IssueCodes;
import java.util.List;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.eclipse.xtext.validation.Issue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 19: two names of one scope that a generator maps to one identifier ({@code a_b} and
 * {@code aB} are both the Java member {@code aB}) passed {@code avps check}, and generation then
 * clashed. Each scope the generators name things in: once where the rule fires, naming both
 * places, and once where similar names stay apart.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class TargetNameValidatorTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private List<Issue> clashes(Model m) {
        return v.validate(m).stream().filter(i -> IssueCodes.NAME_CLASH.equals(i.getCode())).toList();
    }

    @Test
    void structFieldsThatBecomeOneJavaMember() {
        // Line 7 of the file is the struct (Specs.device puts 5 lines of header first).
        Model m = specs.parseDevice("\n/** s */ struct s {\n le32 a_b;\n le32 aB;\n}");
        List<Issue> found = clashes(m);
        assertEquals(1, found.size(), found.toString());
        String message = found.get(0).getMessage();
        assertTrue(message.contains("'aB' (__synthetic0.avps:9:7) and 'a_b' (__synthetic0.avps:8:7) both become Java name 'aB'"),
                message);
        assertEquals(9, found.get(0).getLineNumber());
        v.assertError(m, FIELD, IssueCodes.NAME_CLASH, "Java name 'aB'");
    }

    @Test
    void upperAndLowerCaseAndKeywordEscapes() {
        v.assertError(specs.parseDevice("/** s */ struct s { le32 LEN; le32 len; }"), FIELD, IssueCodes.NAME_CLASH,
                "both become Java name 'len'");
        // 'class' is renamed class_ in Java, which is the other field's name.
        v.assertError(specs.parseDevice("/** s */ struct s { le32 class_; le32 class; }"), FIELD,
                IssueCodes.NAME_CLASH, "Java name 'class_'");
    }

    @Test
    void aCNameThatIsAnotherFieldsName() {
        v.assertError(specs.parseDevice("/** s */ struct s { le32 a c-name \"b\"; le32 b; }"), FIELD,
                IssueCodes.NAME_CLASH, "'b' (__synthetic0.avps:6:45) and 'a' (c-name \"b\") (__synthetic0.avps:6:35) both become C name 'b'");
    }

    @Test
    void distinctMappingsAreFine() {
        assertEquals(List.of(), clashes(specs.parseDevice("/** s */ struct s { le32 a_b; le32 ab; le32 a_b_c; }")));
        assertEquals(List.of(), clashes(specs.parseDevice("/** s */ struct s { le32 aB; }\n/** t */ struct t { le32 a_b; }")),
                "different structs are different classes");
    }

    @Test
    void requestFieldsByPart() {
        String queue = "queues { /** q */ queue rq driver-to-device; }\n";
        v.assertError(specs.parseDevice(queue + "/** r */ request r on rq { readable le32 a_b; readable le32 aB; }"),
                FIELD, IssueCodes.NAME_CLASH, "Java name 'aB'");
        assertEquals(List.of(), clashes(specs.parseDevice(queue
                + "/** r */ request r on rq { readable le32 a_b; writable le32 aB; }")), "two parts, two classes");
    }

    @Test
    void requestsOfADevice() {
        String queue = "queues { /** q */ queue rq driver-to-device; }\n";
        v.assertError(specs.parseDevice(queue + "/** r */ request get_id on rq { readable le32 x; }\n"
                + "/** r */ request getId on rq { readable le32 y; }"), REQUEST, IssueCodes.NAME_CLASH,
                "both become Java class 'GetId'");
    }

    @Test
    void featuresAndAliases() {
        v.assertError(specs.parseDevice("features { /** a */ bit 0 ro; /** b */ bit 1 RO; }"), FEATURE,
                IssueCodes.NAME_CLASH, "both become Java constant 'RO'");
        v.assertError(specs.parseDevice("features { /** a */ bit 0 MQ; /** b */ bit 1 RSS alias mq; }"), FEATURE,
                IssueCodes.NAME_CLASH, "'mq'");
        assertEquals(List.of(), clashes(specs.parseDevice("features { /** a */ bit 0 RO alias READ_ONLY; }")));
    }

    @Test
    void constantsEnumLiteralsAndQueues() {
        v.assertError(specs.parseDevice("/** a */ const max_len : le32 = 1;\n/** b */ const MAX_LEN : le32 = 2;"),
                CONSTANT, IssueCodes.NAME_CLASH, "Java constant 'MAX_LEN'");
        v.assertError(specs.parseDevice("/** e */ enum e : u8 { ok = 0; OK = 1; }"), ENUM_LITERAL,
                IssueCodes.NAME_CLASH, "Java constant 'OK'");
        v.assertError(specs.parseDevice("queues { /** a */ queue rx_q driver-to-device; /** b */ queue RX_Q device-to-driver; }"),
                QUEUE, IssueCodes.NAME_CLASH, "Java constant 'Q_RX_Q'");
    }

    @Test
    void typesOfADeviceAndOfAFile() {
        v.assertError(specs.parseDevice("/** a */ struct foo_bar { u8 a; }\n/** b */ enum FooBar : u8 { X = 0; }"),
                ENUM, IssueCodes.NAME_CLASH, "Java class 'FooBar'");
        v.assertError(specs.parse("package t;\n/** a */ struct foo_bar { u8 a; }\n/** b */ struct fooBar { u8 b; }\n"),
                STRUCT, IssueCodes.NAME_CLASH, "Java class 'FooBar'");
    }

    @Test
    void bitNamesOfOneField() {
        v.assertError(specs.parseDevice("/** s */ struct s { le32 flags { bit 0 a_b; bit 1 A_B; } }"), BIT_FIELD,
                IssueCodes.NAME_CLASH, "both become");
    }

    @Test
    void anExtensionIsCheckedWithItsBase() {
        List<Model> both = specs.parseAll(ExtendDeviceTest.BASE, "package prop.x;\nimport cat.blk.*;\n"
                + "/** x */ extend device blk {\n config blk_config { le32 sizeMax; }\n"
                + " features { /** f */ bit 20 size_max_2; }\n}\n");
        List<Issue> found = clashes(both.get(1));
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).getMessage().contains("'sizeMax' (f1.avps:4:27) and 'size_max' (f0.avps:"),
                found.get(0).getMessage());
        assertEquals(List.of(), clashes(both.get(0)), "the base alone is clean");
    }
}
