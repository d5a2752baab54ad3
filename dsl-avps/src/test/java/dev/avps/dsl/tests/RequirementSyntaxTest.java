package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Model;
import dev.avps.model.DeviceModel;
import dev.avps.model.RequirementModel;
import dev.avps.model.SpecModel;
import java.util.List;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A requirement's section, its checks or the reason it cannot be checked, as the model sees them. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class RequirementSyntaxTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private static final String FEATURES = "features { /** ro */ bit 5 RO; }\n";

    @Test
    void sectionAndChecksReachTheModel() {
        DeviceModel d = specs.deviceModel(FEATURES + """
                requirement ro_write device MUST on RO section "5.2.6.2"
                    "fail writes while read-only." checked by ro_write_fails, ro_no_data;""");
        RequirementModel r = d.requirements().get(0);
        assertEquals("5.2.6.2", r.section());
        assertEquals("RO", r.target());
        assertEquals(List.of("ro_write_fails", "ro_no_data"), r.checks());
        assertEquals(RequirementModel.Status.CHECKED, r.status());
        assertEquals("checked by ro_write_fails, ro_no_data", r.statusText());
        assertNull(r.notCheckableReason());
    }

    @Test
    void notCheckableCarriesItsReason() {
        DeviceModel d = specs.deviceModel("""
                requirement durable device MUST NOT section "5.2.6.2" "lose a flushed write."
                    not checkable "needs power loss";""");
        RequirementModel r = d.requirements().get(0);
        assertEquals("MUST NOT", r.keyword());
        assertEquals(RequirementModel.Status.NOT_CHECKABLE, r.status());
        assertEquals("needs power loss", r.notCheckableReason());
        assertEquals("not checkable: needs power loss", r.statusText());
    }

    @Test
    void sectionAndStatusStayOptionalForTheGrammar() {
        Model m = specs.parseDevice("requirement old driver SHOULD \"keep reading.\";");
        v.assertNoErrors(m);
        RequirementModel r = specs.model(m).devices().get(0).requirements().get(0);
        assertNull(r.section());
        assertEquals(RequirementModel.Status.UNSTATED, r.status());
        assertEquals("unstated", r.statusText());
    }

    @Test
    void requirementsOutsideADeviceAreTheSharedRules() {
        Model m = specs.parse("""
                package virtio.ring;
                requirement vq_used_len device MUST section "2.7.8.2" "report the bytes it wrote."
                    checked by used_len_matches_written;
                """);
        v.assertNoErrors(m);
        SpecModel s = specs.model(m);
        assertEquals(List.of("vq_used_len"), s.requirements().stream().map(RequirementModel::id).toList());
        assertEquals("2.7.8.2", s.requirements().get(0).section());
    }

    @Test
    void theNewWordsStillNameThings() {
        Model m = specs.parseDevice("""
                /** s */ struct s { le32 section; le32 checked; le32 by; le32 not; le32 checkable; }
                requirement section device MAY section "1.2" "x." checked by not, by, checkable;""");
        v.assertNoErrors(m);
        RequirementModel r = specs.model(m).devices().get(0).requirements().get(0);
        assertEquals("section", r.id());
        assertEquals(List.of("not", "by", "checkable"), r.checks());
        assertFalse(r.negated());
    }
}
