package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.avps.Struct;
import dev.avps.model.DeviceModel;
import dev.avps.model.FieldLayout;
import java.util.List;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Language keywords that read as ordinary words in device specs may name fields, queues,
 * requests and features: a name always follows a type or a keyword, so nothing is ambiguous.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class SoftKeywordNamesTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    @ParameterizedTest
    @ValueSource(strings = {"readable", "writable", "legacy", "deprecated", "requires", "requirement", "package",
            "import", "standard", "draft", "proposal", "MUST", "SHOULD", "MAY", "NOT", "size", "status", "id",
            "select", "count", "index", "bit", "reserved", "expect", "platform", "version", "transports", "offer"})
    void aSoftKeywordNamesAStructField(String word) {
        Model m = specs.parseDevice("/** s */ struct s { le32 " + word + "; u8 other[" + word + "]; }");
        v.assertNoErrors(m);
        Struct s = (Struct) Specs.firstDevice(m).getMembers().get(0);
        assertEquals(word, ((Field) s.getMembers().get(0)).getName());
    }

    @Test
    void readableAndWritableNameRequestFieldsAfterTheirAccessMark() {
        DeviceModel d = specs.deviceModel("""
                queues { /** q */ queue q driver-to-device; }
                /** r */ request r on q {
                    readable le32 writable;
                    readable u8 data[writable];
                    writable u8 readable;
                }""");
        List<String> readable = d.requests().get(0).readable().fields().stream().map(FieldLayout::name).toList();
        assertEquals(List.of("writable", "data"), readable);
        assertEquals("readable", d.requests().get(0).writable().fields().get(0).name());
        assertEquals(FieldLayout.Access.WRITABLE, d.requests().get(0).writable().fields().get(0).access());
    }

    @Test
    void softKeywordsNameFeaturesQueuesAndRequests() {
        v.assertNoErrors(specs.parseDevice("""
                features { /** f */ bit 0 legacy; /** g */ bit 1 readable requires legacy; }
                queues { /** q */ queue writable driver-to-device when readable; }
                /** r */ request proposal on writable { readable u8 x; }"""));
    }
}
