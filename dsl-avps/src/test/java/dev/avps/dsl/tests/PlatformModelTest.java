package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Model;
import dev.avps.model.Expectation.Comparison;
import dev.avps.model.PlatformModel;
import dev.avps.model.PlatformModel.Demand;
import dev.avps.model.RequirementModel.Level;
import dev.avps.model.SpecModel;
import java.math.BigInteger;
import java.util.List;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A platform in the semantic model: devices resolved, features to bits, config fields to bytes, IDs derived once. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class PlatformModelTest {

    @Inject
    Specs specs;

    private PlatformModel platform(String members) {
        List<Model> files = specs.parseAll(PlatformValidatorTest.DEVICES, """
                package plat;
                import cat.*;
                /** A car's platform. */
                platform car {
                    version "1.0";
                    transports mmio;
                """ + members + "\n}\n");
        SpecModel m = specs.model(files.toArray(Model[]::new));
        assertEquals(1, m.platforms().size());
        return m.platforms().get(0);
    }

    @Test
    void devicesAndDemandsResolveToBitsAndBytes() {
        PlatformModel p = platform("""
                /** The disk. */
                device disk MUST {
                    MUST offer VERSION_1;
                    MUST NOT offer RO;
                    SHOULD offer SEG_MAX;
                    SHOULD config seg_max >= 2;
                    MUST queues >= 1;
                    MAY queue size >= 256;
                }
                device source MAY;
                """);
        assertEquals("car", p.name());
        assertEquals("1.0", p.version());
        assertEquals("plat", p.packageName());
        assertEquals(List.of("mmio"), p.transports());
        assertEquals("A car's platform.", p.doc());
        assertEquals(2, p.devices().size());
        PlatformModel.DeviceEntry disk = p.devices().get(0);
        assertEquals("disk", disk.device().name());
        assertEquals(2, disk.device().id());
        assertEquals(Level.MUST, disk.level());
        assertEquals("The disk.", disk.doc());
        assertEquals("disk.present", disk.presenceId());

        List<Demand> d = disk.demands();
        assertEquals(List.of("disk.offer.VERSION_1", "disk.offer.RO", "disk.offer.SEG_MAX", "disk.config.seg_max",
                "disk.queues", "disk.queue_size"), d.stream().map(Demand::id).toList());
        assertEquals(32, d.get(0).feature().bit(), "a transport feature keeps its bit");
        assertEquals(5, d.get(1).feature().bit());
        assertEquals("MUST NOT offer RO", d.get(1).text());
        Demand seg = d.get(3);
        assertEquals(8, seg.field().offset(), "seg_max follows the 8-byte capacity");
        assertEquals(4, seg.field().scalar().size());
        assertEquals("SEG_MAX", seg.field().present().refs().iterator().next().name());
        assertEquals(Comparison.GE, seg.op());
        assertEquals(BigInteger.TWO, seg.value());
        assertEquals("SHOULD have config seg_max >= 2", seg.text());
        assertEquals(Demand.Kind.QUEUE_SIZE, d.get(5).kind());
        assertEquals(Level.MAY, d.get(5).level());
        assertNull(d.get(5).field());
        assertEquals(List.of(), p.devices().get(1).demands());
    }

    @Test
    void statementsListEveryIdOnceInReportOrder() {
        PlatformModel p = platform("""
                device source SHOULD { MUST offer EXTRA; }
                requirement guest_ok MUST NOT "break." checked by guest_hwrng, guest_block_read;
                requirement build_only MAY "be built." not checkable "a build setting";
                """);
        assertEquals(List.of("car.transport", "source.present", "source.offer.EXTRA", "guest_ok", "build_only"),
                p.statements().stream().map(PlatformModel.Statement::id).toList());
        PlatformModel.Rule r = p.rules().get(0);
        assertEquals("MUST NOT break.", r.text());
        assertEquals(List.of("guest_hwrng", "guest_block_read"), r.checks());
        assertEquals("a build setting", p.rules().get(1).notCheckableReason());
        assertNull(p.statements().get(1).device(), "a device's presence is the platform's statement");
        assertEquals("The platform SHOULD provide a source device (ID 4)", p.statements().get(1).sentence());
        assertEquals("source MUST offer EXTRA", p.statements().get(2).sentence());
        assertEquals("The platform MUST NOT break.", p.statements().get(3).sentence());
        assertEquals("The platform MUST put every virtio device on one of these transports: mmio",
                p.statements().get(0).sentence());
    }
}
