package dev.avps.generator.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.generator.TestSpecs;
import dev.avps.model.DeviceModel;
import dev.avps.model.RequestModel;
import dev.avps.model.ScalarType;
import dev.avps.model.StructLayout;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Naming, literals, ordering and packing decisions of the C targets. */
class CHelpersTest {

    static final Path ORDER = Path.of("src/test/resources/specs/order.avps");

    @Test
    void scalarsPerDialect() {
        assertEquals("__le32", CDialect.LINUX.scalar(ScalarType.LE32));
        assertEquals("__be16", CDialect.LINUX.scalar(ScalarType.BE16));
        assertEquals("__virtio64", CDialect.LINUX.scalar(ScalarType.VIRTIO64));
        assertEquals("__u8", CDialect.LINUX.scalar(ScalarType.U8));
        assertEquals("uint64_t", CDialect.portable("x_").scalar(ScalarType.VIRTIO64));
        assertEquals("X_FOO", CDialect.portable("x_").macro("FOO"));
        assertThrows(IllegalArgumentException.class, () -> CDialect.portable("no-dash"));
    }

    @Test
    void macroNamesFollowLinux() {
        DeviceModel demo = TestSpecs.device(TestSpecs.DEMO);
        CNames n = new CNames(CDialect.LINUX);
        assertEquals("VIRTIO_DEMO_F_STATS", n.featureMacro(demo, demo.feature("STATS").orElseThrow()));
        assertEquals("VIRTIO_DEMO_F_FANCY_NAME", n.featureMacro(demo, demo.feature("FANCY").orElseThrow()));
        assertEquals("VIRTIO_DEMO_DEVICE_ID", n.deviceIdMacro(demo));
        assertEquals("_LINUX_VIRTIO_DEMO_H", n.includeGuard("virtio_demo"));
        assertEquals("AVPS_VIRTIO_DEMO_H", new CNames(CDialect.portable("avps_")).includeGuard("virtio_demo"));
        assertEquals("VIRTIO_F_VERSION_1 && VIRTIO_DEMO_F_STATS",
                n.condition(demo, demo.feature("EXTRA").orElseThrow().requires()));
    }

    @Test
    void literalsAndMasks() {
        assertEquals("20", CLiterals.of(BigInteger.valueOf(20)));
        assertEquals("0x80000000U", CLiterals.of(BigInteger.valueOf(0x80000000L)));
        assertEquals("0x10000", CLiterals.of(BigInteger.valueOf(0x10000)));
        assertEquals("0x100000000ULL", CLiterals.of(BigInteger.ONE.shiftLeft(32)));
        assertEquals("0x0000000E", CLiterals.mask(1, 3, 32));
        assertEquals("0x01", CLiterals.mask(0, 1, 8));
        assertEquals("0x80000000U", CLiterals.mask(31, 1, 32));
    }

    @Test
    void structsComeAfterTheStructsTheyContain() {
        DeviceModel order = TestSpecs.device(ORDER);
        assertEquals(List.of("outer", "inner", "blob", "list"), order.structs().stream().map(StructLayout::name).toList());
        assertEquals(List.of("inner", "outer", "blob", "list"),
                StructOrder.dependenciesFirst(order.structs()).stream().map(StructLayout::name).toList());
        CHeaderView v = CHeaderView.of(order, CDialect.LINUX, "virtio_order");
        assertEquals(List.of("inner", "outer", "blob", "list"), v.structs().stream().map(CStruct::name).toList());
        assertEquals("[]", v.structs().get(2).members().get(2).suffix(), "flexible array member");
        assertEquals(CMember.Kind.FLEX_ONLY, v.structs().get(3).members().get(0).kind());
    }

    @Test
    void packedOnlyWhereCWouldPad() {
        DeviceModel demo = TestSpecs.device(TestSpecs.DEMO);
        StructLayout packed = demo.structs().stream().filter(s -> s.name().equals("virtio_demo_packed")).findFirst()
                .orElseThrow();
        assertTrue(CPacking.needsPacked(packed.fields(), packed.size()));
        assertFalse(CPacking.needsPacked(demo.config().fields(), demo.config().size()));
        // blk's get_lifetime reply: 6 bytes of le16 then the status byte; C would round 7 up to 8.
        RequestModel lifetime = TestSpecs.device(TestSpecs.BLK).requests().stream()
                .filter(r -> r.name().equals("get_lifetime")).findFirst().orElseThrow();
        assertTrue(CPacking.needsPacked(lifetime.writable().fields(), 7));
    }

    @Test
    void requestPartsSplitAtOpenEndedArrays() {
        CHeaderView v = CHeaderView.of(TestSpecs.device(TestSpecs.DEMO), CDialect.LINUX, "virtio_demo");
        CStruct readable = v.requests().get(0);
        assertEquals("virtio_demo_sample_readable", readable.name());
        assertEquals(List.of("ctrl", "n", "values"), readable.members().stream().map(CMember::name).toList());
        assertTrue(readable.variable());
        CStruct writable = v.requests().get(1);
        assertFalse(writable.declared(), "a part starting with data[] has no C struct");
        assertEquals(List.of("VIRTIO_DEMO_SAMPLE_WRITABLE_DATA_OFFSET=0", "VIRTIO_DEMO_SAMPLE_WRITABLE_CRC_FROM_END=3",
                "VIRTIO_DEMO_SAMPLE_WRITABLE_STATUS_FROM_END=1"),
                writable.trailing().stream().map(m -> m.name() + "=" + m.value()).toList());
    }

    @Test
    void unionsPadToTheirDeclaredSize() {
        CHeaderView v = CHeaderView.of(TestSpecs.device(TestSpecs.DEMO), CDialect.portable("p_"), "virtio_demo");
        CStruct ctrl = v.structs().stream().filter(s -> s.name().equals("p_virtio_demo_ctrl")).findFirst().orElseThrow();
        CMember u = ctrl.members().get(2);
        assertEquals(CMember.Kind.UNION, u.kind());
        assertEquals(List.of(CMember.Kind.FIELD, CMember.Kind.GROUP, CMember.Kind.FIELD),
                u.members().stream().map(CMember::kind).toList());
        assertEquals("case P_VIRTIO_DEMO_K_TEMP", u.members().get(0).note());
        assertEquals("[16]", u.members().get(2).suffix());
    }

    @Test
    void sharedTypesADeviceUsesAreFoundTransitively() {
        dev.avps.model.SpecModel model = TestSpecs.model(TestSpecs.BLK, Path.of("src/test/resources/specs/shared.avps"));
        DeviceModel user2 = model.devices().stream().filter(d -> d.name().equals("user2")).findFirst().orElseThrow();
        assertEquals(List.of("vring_desc", "shared_pair"),
                model.sharedStructsOf(user2).stream().map(StructLayout::name).toList());
        assertEquals(List.of("shared_kind"), model.sharedEnumsOf(user2).stream().map(e -> e.name()).toList());
        DeviceModel blk = model.devices().stream().filter(d -> d.name().equals("blk")).findFirst().orElseThrow();
        assertTrue(model.sharedStructsOf(blk).isEmpty());
        assertTrue(model.sharedEnumsOf(blk).isEmpty());
        CHeaderView v = CHeaderView.of(user2, model, CDialect.LINUX, "virtio_user2");
        assertEquals(List.of("AVPS_SHARED_STRUCT_VRING_DESC", "AVPS_SHARED_STRUCT_SHARED_PAIR"),
                v.sharedStructs().stream().map(CSharedStruct::guard).toList());
    }
}
