package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.inject.Inject;
import dev.avps.model.DeviceModel;
import dev.avps.model.Expectation;
import dev.avps.model.Expectation.ConfigRead;
import dev.avps.model.RequirementModel;
import dev.avps.model.ScalarType;
import java.util.List;
import java.util.Set;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Inline expectations in the semantic model: each config field placed by the resolved layout. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class ExpectationModelTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private static final String DEVICE = """
            features { /** z */ bit 3 ZONED; /** s */ bit 4 SEG; }
            /** inner */ struct zc { le32 zone_sectors; le32 max_append; }
            /** e */ enum mode : u8 { M_NONE = 0; M_HM = 1; M_HA = 2; }
            config cfg {
                le16 ngpio;
                reserved u8 pad[2];
                le32 seg_max when SEG;
                mode model;
                zc zoned when ZONED;
            }
            const LIMIT : le32 = 512;
            """;

    private RequirementModel requirement(String expectations) {
        DeviceModel d = specs.deviceModel(DEVICE + "requirement r device MUST section \"1\" \"x.\" " + expectations + ";");
        return d.requirements().get(0);
    }

    @Test
    void aTopLevelFieldComesWithItsOffsetAndScalar() {
        RequirementModel r = requirement("expect config ngpio >= 1");
        Expectation e = r.expectations().get(0);
        assertEquals(new ConfigRead("ngpio", 0, ScalarType.LE16, null), e.field());
        assertEquals(Expectation.Comparison.GE, e.op());
        assertEquals("1", e.bound().render());
        assertEquals("ngpio >= 1", e.text());
        assertNull(e.condition());
        assertEquals(RequirementModel.Status.CHECKED, r.status());
        assertEquals("r_expect", r.inlineCheck());
        assertEquals(List.of("r_expect"), r.checkNames());
        assertEquals(List.of(), r.checks());
        assertEquals("expect ngpio >= 1", r.statusText());
    }

    @Test
    void aNestedFieldAddsTheStructOffsetAndItsCondition() {
        RequirementModel r = requirement("expect config zoned.max_append <= seg_max * LIMIT / 512");
        Expectation e = r.expectations().get(0);
        // ngpio 0..2, pad 2..4, seg_max 4..8, model 8, zoned right after it at 9 (the layout engine
        // packs, as the spec's structs are), max_append 4 bytes into zoned.
        assertEquals("zoned.max_append", e.field().path());
        assertEquals(13, e.field().offset());
        assertEquals(ScalarType.LE32, e.field().scalar());
        assertEquals("ZONED", e.field().present().render());
        assertEquals(Set.of("seg_max"), e.operands().keySet());
        assertEquals(new ConfigRead("seg_max", 4, ScalarType.LE32, e.operands().get("seg_max").present()),
                e.operands().get("seg_max"));
        assertEquals("SEG", e.operands().get("seg_max").present().render());
        assertEquals("((seg_max * LIMIT) / 512)", e.bound().render());
        assertEquals("zoned.max_append <= seg_max * LIMIT / 512", e.text());
    }

    @Test
    void severalExpectationsWithConditionsAndHandWrittenChecks() {
        RequirementModel r = requirement("expect config model <= M_HA when ZONED, config ngpio != 0x10 when !SEG"
                + " checked by r_by_hand");
        assertEquals(2, r.expectations().size());
        Expectation first = r.expectations().get(0);
        assertEquals(new ConfigRead("model", 8, ScalarType.U8, null), first.field());
        assertEquals("M_HA", first.bound().render());
        assertEquals(2, first.bound().constantValue().getAsLong());
        assertEquals("ZONED", first.condition().render());
        assertEquals("!SEG", r.expectations().get(1).condition().render());
        assertEquals(Expectation.Comparison.NE, r.expectations().get(1).op());
        assertEquals(List.of("r_expect", "r_by_hand"), r.checkNames());
        assertEquals("expect model <= M_HA when ZONED, ngpio != 0x10 when !SEG; checked by r_by_hand", r.statusText());
    }

    @Test
    void comparisonsReadAsWritten() {
        for (Expectation.Comparison c : Expectation.Comparison.values()) {
            RequirementModel r = requirement("expect config ngpio " + c.symbol() + " 3");
            assertEquals(c, r.expectations().get(0).op(), c.symbol());
        }
        assertEquals(true, Expectation.Comparison.LE.holds(0));
        assertEquals(false, Expectation.Comparison.LT.holds(0));
        assertEquals(true, Expectation.Comparison.NE.holds(-1));
        assertEquals(false, Expectation.Comparison.GE.holds(-1));
    }

    @Test
    void aRequirementWithoutExpectationsKeepsItsChecksAlone() {
        RequirementModel r = requirement("checked by a, b");
        assertEquals(List.of(), r.expectations());
        assertNull(r.inlineCheck());
        assertEquals(List.of("a", "b"), r.checkNames());
        assertEquals("checked by a, b", r.statusText());
    }

    @Test
    void aProposalsRequirementMayBoundTheFieldItAppends() {
        var models = specs.parseAll(Specs.device(DEVICE), """
                package p;
                import t.*;
                /** grows */
                extend device dev {
                    config cfg { le32 extra; }
                    requirement extra_set device MUST "x." expect config extra >= ngpio;
                }
                """);
        models.forEach(v::assertNoErrors);
        DeviceModel d = specs.model(models.toArray(new dev.avps.dsl.avps.Model[0])).devices().get(0);
        Expectation e = d.requirements().stream().filter(q -> q.id().equals("extra_set")).findFirst().orElseThrow()
                .expectations().get(0);
        assertEquals("extra", e.field().path());
        assertEquals(d.config().field("extra").orElseThrow().offset(), e.field().offset());
        assertEquals(0, e.operands().get("ngpio").offset());
    }
}
