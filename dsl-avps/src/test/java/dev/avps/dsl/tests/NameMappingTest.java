package dev.avps.dsl.tests;

import static dev.avps.dsl.avps.AvpsPackage.Literals.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.naming.JavaIdentifiers;
import dev.avps.dsl.validation.IssueCodes;
import java.util.List;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 19, findings 8 and 10: names that map to no identifier, unresolved imports and elements
 * declared twice across files are errors at check time, not failures of the generator.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class NameMappingTest {

    private static final String Q = "queues { /** q */ queue q driver-to-device; }\n";

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private Model dev(String members) {
        return specs.parseDevice(members);
    }

    @Test
    void underscoreNamesHaveNoJavaForm() {
        v.assertError(dev(Q + "/** r */ request _ on q { readable le32 a; }"), REQUEST, IssueCodes.BAD_NAME,
                "leaves no letters or digits");
        v.assertError(dev("/** s */ struct s { u8 __; }"), FIELD, IssueCodes.BAD_NAME);
        v.assertError(dev("features { /** a */ bit 1 A alias _; }"), FEATURE, IssueCodes.BAD_NAME);
        v.assertNoErrors(dev("/** s */ struct s { u8 _x; u8 x_1; }"));
    }

    @Test
    void theRuleAgreesWithTheGeneratorsMapping() {
        assertEquals("", JavaIdentifiers.type("_"));
        assertNotNull(JavaIdentifiers.problem("_"));
        assertNotNull(JavaIdentifiers.problem("___"));
        assertNull(JavaIdentifiers.problem("virtio_blk_config"));
        assertEquals("default_", JavaIdentifiers.member("default"));
        assertNull(JavaIdentifiers.problem("default"), "keywords are escaped, not rejected (the warning says so)");
    }

    @Test
    void cNameMustBeACIdentifier() {
        v.assertError(dev("/** s */ struct s c-name \"a b\" { u8 x; }"), STRUCT, IssueCodes.BAD_NAME, "no C identifier");
        v.assertError(dev("/** s */ struct s c-name \"\" { u8 x; }"), STRUCT, IssueCodes.BAD_NAME);
        v.assertError(dev("/** s */ struct s c-name \"9lives\" { u8 x; }"), STRUCT, IssueCodes.BAD_NAME);
        v.assertNoErrors(dev("/** s */ struct s c-name \"virtio_s\" { u8 x; }"));
    }

    @Test
    void overlongNamesAreErrors() {
        v.assertError(dev("/** s */ struct " + "s".repeat(129) + " { u8 x; }"), STRUCT, IssueCodes.NAME_TOO_LONG,
                "at most 128");
        v.assertNoErrors(dev("/** s */ struct " + "s".repeat(128) + " { u8 x; }"));
    }

    @Test
    void importOfAPackageNoFileDeclaresIsAnError() {
        Model m = specs.parse("package p;\nimport nowhere.*;\nimport virtio.transport.*;\n/** s */ struct s { u8 x; }");
        v.assertError(m, IMPORT, IssueCodes.UNRESOLVED_IMPORT, "import 'nowhere.*'");
        v.assertNoError(specs.parse("package p;\nimport virtio.transport.*;\n/** s */ struct s { u8 x; }"),
                IssueCodes.UNRESOLVED_IMPORT);
        List<Model> two = specs.parseAll("package a.b;\n/** s */ struct s { u8 x; }",
                "package c;\nimport a.b.*;\nimport a.b.s;\nimport a.b.t;\n/** t */ struct t { s x; }");
        v.assertError(two.get(1), IMPORT, IssueCodes.UNRESOLVED_IMPORT, "import 'a.b.t'");
        assertEquals(1, v.validate(two.get(1)).stream()
                .filter(i -> IssueCodes.UNRESOLVED_IMPORT.equals(i.getCode())).count());
    }

    @Test
    void theSameDeviceTwiceInOnePackageIsAnErrorInBothFiles() {
        String d = "package p;\n/** d */ device blk { id %d; spec \"1.4\"; }\n";
        List<Model> ms = specs.parseAll(d.formatted(2), d.formatted(3));
        v.assertError(ms.get(0), DEVICE, IssueCodes.DUPLICATE_ELEMENT, "device 'p.blk' is also declared in f1.avps");
        v.assertError(ms.get(1), DEVICE, IssueCodes.DUPLICATE_ELEMENT, "also declared in f0.avps");
        List<Model> fine = specs.parseAll(d.formatted(2), "package q;\n/** d */ device blk { id 3; spec \"1.4\"; }\n");
        v.assertNoErrors(fine.get(0));
        v.assertNoErrors(fine.get(1));
    }
}
