package dev.avps.dsl.tests;

import static dev.avps.dsl.avps.AvpsPackage.Literals.*;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.validation.IssueCodes;
import java.util.List;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Devices across files: IDs that fit and do not repeat. Each rule once where it must fire and once where it must stay quiet. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class DeviceValidatorTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

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
}
