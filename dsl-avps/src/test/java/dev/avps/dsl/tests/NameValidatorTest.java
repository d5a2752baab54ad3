package dev.avps.dsl.tests;

import static dev.avps.dsl.avps.AvpsPackage.Literals.*;

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

/** Names: Xtext's unique-name rule and the target languages' keywords. Each rule once where it must fire and once where it must stay quiet. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class NameValidatorTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private Model dev(String members) {
        return specs.parseDevice(members);
    }

    @Test
    void duplicateNamesInOneScope() {
        v.assertError(dev("/** a */ struct s { u8 a; }\n/** b */ struct s { u8 b; }"), STRUCT, null, "Duplicate");
        v.assertError(dev("/** a */ struct s { u8 a; le16 a; }"), FIELD, null, "Duplicate");
    }

    @Test
    void sameNamesInDifferentScopesAreFine() {
        v.assertNoErrors(dev("/** a */ struct s { u8 a; }\n/** b */ struct t { u8 a; }"));
    }

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
}
