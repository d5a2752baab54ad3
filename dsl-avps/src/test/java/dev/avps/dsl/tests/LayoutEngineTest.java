package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Inject;
import dev.avps.model.ByteOrder;
import dev.avps.model.DeviceModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.FieldLayout.ArrayKind;
import dev.avps.model.FieldLayout.OffsetBase;
import dev.avps.model.RequestModel;
import dev.avps.model.ScalarType;
import dev.avps.model.StructLayout;
import java.util.List;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The layout engine: offsets, sizes, alignment and the variants of open-ended layouts. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class LayoutEngineTest {

    @Inject
    Specs specs;

    private static int[] offsets(StructLayout s) {
        return s.fields().stream().mapToInt(FieldLayout::offset).toArray();
    }

    private StructLayout struct(DeviceModel d, String name) {
        return d.structs().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void configFieldsKeepTheirOffsetsWhateverTheFeatures() {
        // The first fields of Linux's struct virtio_blk_config, with their documented offsets.
        DeviceModel d = specs.deviceModel("""
                features { /** a */ bit 1 SIZE_MAX; /** b */ bit 2 SEG_MAX; /** c */ bit 4 GEOMETRY; /** m */ bit 12 MQ; }
                /** g */ struct geo { virtio16 cylinders; u8 heads; u8 sectors; }
                /** c */
                config virtio_blk_config {
                    virtio64 capacity;
                    virtio32 size_max when SIZE_MAX;
                    virtio32 seg_max when SEG_MAX;
                    geo geometry when GEOMETRY;
                    virtio32 blk_size;
                    u8 physical_block_exp; u8 alignment_offset; virtio16 min_io_size; virtio32 opt_io_size;
                    u8 wce; reserved u8 unused;
                    virtio16 num_queues when MQ;
                }
                """);
        StructLayout c = d.config();
        assertTrue(c.config());
        assertEquals(List.of(0, 8, 12, 16, 20, 24, 25, 26, 28, 32, 33, 34),
                java.util.Arrays.stream(offsets(c)).boxed().toList());
        assertEquals(36, c.size());
        assertEquals(34, c.minSize(), "ends with the last field present whatever the features");
        assertEquals(8, c.align());
        // 36 bytes aligned to 8: C would round up to 40, so this cut of the struct needs packed.
        assertFalse(c.naturallyAligned());
        FieldLayout geometry = c.field("geometry").orElseThrow();
        assertEquals(FieldLayout.Kind.STRUCT, geometry.kind());
        assertEquals(4, geometry.size());
        assertEquals(2, geometry.align());
        assertEquals("GEOMETRY", geometry.condition().render());
        assertEquals(ByteOrder.VIRTIO, c.field("capacity").orElseThrow().scalar().order());
    }

    @Test
    void byteOrderAndSizeOfEveryScalar() {
        DeviceModel d = specs.deviceModel("/** s */ struct s { be32 a; le16 b; u8 c; u8 d; be64 e; }");
        StructLayout s = struct(d, "s");
        assertEquals(ByteOrder.BIG, s.fields().get(0).scalar().order());
        assertEquals(ByteOrder.LITTLE, s.fields().get(1).scalar().order());
        assertEquals(ByteOrder.NONE, s.fields().get(2).scalar().order());
        assertEquals(ScalarType.BE64, s.fields().get(4).scalar());
        assertEquals(16, s.size());
    }

    @Test
    void misalignmentIsRecordedNotPadded() {
        DeviceModel d = specs.deviceModel("/** s */ struct s { u8 a; le32 b; u8 c[3]; }");
        StructLayout s = struct(d, "s");
        assertEquals(List.of(0, 1, 5), java.util.Arrays.stream(offsets(s)).boxed().toList());
        assertEquals(8, s.size());
        assertFalse(s.naturallyAligned());
    }

    @Test
    void fixedArraysByNumberConstantAndArithmetic() {
        DeviceModel d = specs.deviceModel("""
                /** n */ const N : le32 = 3;
                /** s */ struct s { le16 a[4]; u8 b[N]; u8 c[N * 2 + 1]; }
                """);
        StructLayout s = struct(d, "s");
        assertEquals(8, s.fields().get(0).size());
        assertEquals(4, s.fields().get(0).count());
        assertEquals(3, s.fields().get(1).size());
        assertEquals(7, s.fields().get(2).size());
        assertEquals(ArrayKind.FIXED, s.fields().get(2).arrayKind());
        assertEquals(18, s.size());
    }

    @Test
    void unionTakesItsLargestCaseOrItsDeclaredSize() {
        DeviceModel d = specs.deviceModel("""
                /** s */ struct small { le32 t; union u select t { case 1: le64 x; case 2: le32 y; u8 z; } }
                /** s */ struct padded { le32 t; reserved u8 p[4]; union u select t size 24 { case 1: le64 x; } }
                """);
        FieldLayout u = struct(d, "small").fields().get(1);
        assertEquals(FieldLayout.Kind.UNION, u.kind());
        assertEquals(8, u.size());
        assertEquals(2, u.cases().size());
        assertEquals(5, u.cases().get(1).size());
        assertEquals("t", u.discriminator());
        assertEquals(32, struct(d, "padded").size());
    }

    @Test
    void flexibleTrailingArrayMakesTheSizeOpenEnded() {
        DeviceModel d = specs.deviceModel("/** s */ struct s { le32 n; u8 data[]; }");
        StructLayout s = struct(d, "s");
        assertTrue(s.variable());
        assertEquals(4, s.size());
        assertEquals(ArrayKind.FLEXIBLE, s.fields().get(1).arrayKind());
        assertEquals(1, s.fields().get(1).elementSize());
    }

    @Test
    void requestPartsAreLaidOutSeparately() {
        DeviceModel d = specs.deviceModel("""
                /** h */ struct hdr { le32 type; le32 len; le64 sector; }
                queues { /** q */ queue q driver-to-device; }
                /** r */
                request rd on q where header.type == 0 {
                    readable hdr header;
                    readable u8 key[header.len];
                    readable le32 after_key;
                    writable u8 data[];
                    writable le16 residual;
                    writable u8 status;
                }
                """);
        RequestModel r = d.requests().get(0);
        assertEquals(List.of("header", "type"), r.discriminator());
        StructLayout in = r.readable();
        assertEquals(OffsetBase.START, in.fields().get(0).base());
        FieldLayout key = in.fields().get(1);
        assertEquals(ArrayKind.RUNTIME, key.arrayKind());
        assertEquals("header.len", key.arrayLength().render());
        FieldLayout afterKey = in.fields().get(2);
        assertEquals(OffsetBase.AFTER, afterKey.base());
        assertEquals("key", afterKey.anchor());
        assertEquals(0, afterKey.offset());
        StructLayout out = r.writable();
        assertEquals(OffsetBase.START, out.fields().get(0).base());
        // After the open data buffer, fields are found from the end of the writable bytes.
        FieldLayout residual = out.fields().get(1);
        FieldLayout status = out.fields().get(2);
        assertEquals(OffsetBase.END, residual.base());
        assertEquals(3, residual.offset());
        assertEquals(OffsetBase.END, status.base());
        assertEquals(1, status.offset());
        assertNull(status.anchor());
        assertEquals(FieldLayout.Access.WRITABLE, status.access());
    }

    @Test
    void sharedStructIsLaidOutOnceAndReused() {
        DeviceModel d = specs.deviceModel("""
                /** i */ struct inner { le16 a; u8 b; u8 c; }
                /** o */ struct outer { inner x; inner y; le32 z; }
                """);
        StructLayout outer = struct(d, "outer");
        assertEquals(List.of(0, 4, 8), java.util.Arrays.stream(offsets(outer)).boxed().toList());
        assertTrue(outer.fields().get(0).nested() == outer.fields().get(1).nested(), "one layout per struct");
        assertEquals(12, outer.size());
    }

    @Test
    void bitRangesAreResolved() {
        DeviceModel d = specs.deviceModel("/** s */ struct s { le32 flags { bit 0 unmap; bits 1..31 rest; } }");
        List<FieldLayout.BitRange> bits = struct(d, "s").fields().get(0).bits();
        assertEquals(0, bits.get(0).lsb());
        assertEquals(0, bits.get(0).msb());
        assertEquals(1, bits.get(1).lsb());
        assertEquals(31, bits.get(1).msb());
        assertEquals(31, bits.get(1).width());
    }
}
