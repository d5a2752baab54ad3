package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Inject;
import dev.avps.model.DeviceModel;
import dev.avps.model.FeatureModel;
import dev.avps.model.QueueModel;
import dev.avps.model.RequirementModel;
import dev.avps.model.SpecModel;
import dev.avps.model.ValueExpr;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The syntax-free model the generator consumes: features, queues, requests, requirements, docs. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class SemanticModelTest {

    @Inject
    Specs specs;

    @Test
    void deviceHeaderAndDocs() {
        DeviceModel d = specs.deviceModel("");
        assertEquals("dev", d.name());
        assertEquals(99, d.id());
        assertEquals("1.4", d.specVersion());
        assertEquals(DeviceModel.Status.STANDARD, d.status());
        assertEquals("virtio_dev", d.cName());
        assertEquals("d", d.doc());
        assertEquals("t", d.packageName());
        assertNull(d.config());
    }

    @Test
    void featuresCarryMarksAliasesAndDependencyExpressions() {
        DeviceModel d = specs.deviceModel("""
                features {
                    /** Legacy thing. */ legacy bit 0 OLD;
                    /** Flush. */ bit 9 FLUSH alias WCE;
                    /** Needs. */ bit 3 NEEDS requires FLUSH && VERSION_1;
                }
                """);
        FeatureModel old = d.feature("OLD").orElseThrow();
        assertTrue(old.legacy());
        assertEquals("Legacy thing.", old.doc());
        assertEquals(List.of("WCE"), d.feature("FLUSH").orElseThrow().aliases());
        FeatureModel needs = d.feature("NEEDS").orElseThrow();
        assertEquals("FLUSH && VERSION_1", needs.requires().render());
        assertEquals(Set.of(9, 32), needs.requires().refs().stream().map(r -> r.bit())
                .collect(java.util.stream.Collectors.toSet()));
        assertEquals("transport", needs.requires().refs().stream().filter(r -> r.bit() == 32).findFirst().orElseThrow()
                .owner());
        assertTrue(needs.requires().holds(b -> b == 9 || b == 32));
        assertFalse(needs.requires().holds(b -> b == 9));
    }

    @Test
    void queueIndexesFollowDeclarationOrderAndInterleaveGroups() {
        DeviceModel d = specs.deviceModel("""
                features { /** m */ bit 22 MQ; /** c */ bit 17 CTRL_VQ; }
                /** c */ config cfg { le16 max_virtqueue_pairs; }
                queues {
                    /** p */
                    group pairs count max_virtqueue_pairs if MQ else 1 {
                        /** r */ queue receiveq device-to-driver;
                        /** t */ queue transmitq driver-to-device;
                    }
                    /** c */ queue controlq driver-to-device when CTRL_VQ;
                    /** e */ queue eventq device-to-driver;
                }
                """);
        List<QueueModel> qs = d.queues();
        QueueModel rx = qs.get(0);
        QueueModel tx = qs.get(1);
        assertEquals(0, rx.firstIndex().constantValue().getAsLong());
        assertEquals(1, tx.firstIndex().constantValue().getAsLong());
        assertEquals(2, rx.stride());
        assertEquals("pairs", rx.group());
        assertEquals(QueueModel.Direction.DEVICE_TO_DRIVER, rx.direction());
        // controlq follows all pairs: index 2 * (pairs if MQ else 1)
        QueueModel ctrl = qs.get(2);
        assertEquals("((max_virtqueue_pairs if MQ else 1) * 2)", ctrl.firstIndex().render());
        assertEquals("CTRL_VQ", ctrl.condition().render());
        assertEquals(1, ctrl.stride());
        // eventq follows controlq, which takes an index only when CTRL_VQ is negotiated
        assertEquals("(((max_virtqueue_pairs if MQ else 1) * 2) + (1 if CTRL_VQ else 0))", qs.get(3).firstIndex().render());
    }

    @Test
    void queueWithExplicitIndexAndCount() {
        DeviceModel d = specs.deviceModel("""
                queues { /** a */ queue a driver-to-device count 3; /** b */ queue b driver-to-device index 7; /** c */ queue c driver-to-device; }
                """);
        assertEquals(3, d.queues().get(0).count().constantValue().getAsLong());
        assertEquals(7, d.queues().get(1).firstIndex().constantValue().getAsLong());
        assertEquals(8, d.queues().get(2).firstIndex().constantValue().getAsLong());
    }

    @Test
    void requestsAndEnumsAndConstants() {
        DeviceModel d = specs.deviceModel("""
                /** t */ enum op : le32 { /** read */ RD = 0; WR = 0x10; }
                /** n */ const N : u8 = 20;
                queues { /** q */ queue q driver-to-device; }
                /** r */ request w on q where t in (RD, WR) { readable op t; writable u8 id[N]; }
                """);
        assertEquals(List.of(BigInteger.ZERO, BigInteger.valueOf(16)), d.requests().get(0).values());
        assertEquals("q", d.requests().get(0).queue());
        assertEquals(20, d.requests().get(0).writable().size());
        assertEquals("read", d.enums().get(0).literals().get(0).doc());
        assertEquals(BigInteger.valueOf(20), d.constants().get(0).value());
    }

    @Test
    void maskedSelectorIsKept() {
        DeviceModel d = specs.deviceModel(
                "queues { /** q */ queue q driver-to-device; }\n"
                + "/** r */ request rd on q where f & 0x2 == 2 { readable le32 f; }");
        assertEquals(BigInteger.TWO, d.requests().get(0).mask());
        assertEquals(List.of(BigInteger.TWO), d.requests().get(0).values());
    }

    /** Where a selector sits and how it reads is derived once, in the model, for every consumer. */
    @Test
    void theSelectorIsDerivedInTheModel() {
        DeviceModel d = specs.deviceModel("""
                /** t */ enum op : be16 { /** read */ RD = 0; WR = 0x10; }
                /** h */ struct hdr { le32 tag; op kind; }
                queues { /** q */ queue q driver-to-device; }
                /** r */ request rd on q where h.kind == RD { readable hdr h; }
                /** w */ request wr on q where h.kind & 0x10 == 0x10 { readable hdr h; readable u8 data[]; }
                /** x */ request raw on q { readable u8 all[]; }
                """);
        dev.avps.model.RequestSelector rd = d.requests().get(0).selector();
        assertEquals(List.of("h", "kind"), rd.path());
        assertEquals(4, rd.offset(), "after the le32 tag");
        assertEquals(2, rd.width());
        assertTrue(rd.bigEndian());
        assertNull(rd.mask());
        assertEquals("op", rd.namingEnum(), "the field's own enum names the values");
        assertEquals(BigInteger.valueOf(0x10), d.requests().get(1).selector().mask());
        assertNull(d.requests().get(2).selector(), "a format without a selecting value has no selector");
    }

    @Test
    void requirementsKeepPartyLevelAndTarget() {
        DeviceModel d = specs.deviceModel("""
                features { /** r */ bit 5 RO; }
                requirement ro device MUST NOT on RO "accept writes.";
                """);
        RequirementModel r = d.requirements().get(0);
        assertEquals(RequirementModel.Party.DEVICE, r.party());
        assertEquals("MUST NOT", r.keyword());
        assertEquals("RO", r.target());
        assertEquals("accept writes.", r.text());
    }

    @Test
    void topLevelTypesAndTransportFeatures() {
        SpecModel m = specs.model(specs.parse("""
                package x;
                /** t */ features tr { /** a */ bit 30 A; }
                /** s */ struct s { le16 a; }
                /** e */ enum e : u8 { X = 1; }
                /** c */ const C : u8 = 1;
                """));
        assertEquals("tr", m.transportFeatures().get(0).owner());
        assertEquals(2, m.structs().get(0).size());
        assertEquals(1, m.enums().size());
        assertEquals(1, m.constants().size());
        assertTrue(m.devices().isEmpty());
    }

    @Test
    void valueExpressionsEvaluateWhenConstant() {
        ValueExpr e = new ValueExpr.Binary(ValueExpr.of(6), '*', new ValueExpr.Binary(ValueExpr.of(4), '-', ValueExpr.of(1)));
        assertEquals(18, e.constantValue().getAsLong());
        assertTrue(new ValueExpr.FieldRef("n").constantValue().isEmpty());
    }
}
