package dev.avps.generator.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.generator.TestSpecs;
import dev.avps.model.DeviceModel;
import dev.avps.model.QueueModel;
import dev.avps.model.RequestModel;
import dev.avps.model.StructLayout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Queue rules, request selectors, initialisation sentences and byte diagrams in words and boxes. */
class DocHelpersTest {

    static RequestModel request(DeviceModel d, String name) {
        return d.requests().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    static StructLayout struct(DeviceModel d, String name) {
        return d.structs().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void queueIndexRules() {
        List<QueueModel> q = TestSpecs.device(TestSpecs.DEMO).queues();
        assertEquals("0", QueueIndexRule.indexes(q.get(0)));
        assertEquals("1", QueueIndexRule.indexes(q.get(1)));
        assertEquals("1 + (1 if STATS else 0) + 2k for k = 0 .. (num_sensors if MULTI else 1) - 1",
                QueueIndexRule.indexes(q.get(2)));
        assertEquals("(1 + (1 if STATS else 0)) + 1 + 2k for k = 0 .. (num_sensors if MULTI else 1) - 1",
                QueueIndexRule.indexes(q.get(3)));
    }

    @Test
    void selectorsNameTheEnumLiterals() {
        DeviceModel blk = TestSpecs.device(TestSpecs.BLK);
        assertEquals("header.type == VIRTIO_BLK_T_IN (0)", RequestSelector.describe(blk, request(blk, "read")));
        assertTrue(RequestSelector.describe(blk, request(blk, "ranges"))
                .startsWith("header.type in VIRTIO_BLK_T_DISCARD (11), VIRTIO_BLK_T_WRITE_ZEROES (13)"));
        DeviceModel demo = TestSpecs.device(TestSpecs.DEMO);
        assertEquals("ctrl.kind == VIRTIO_DEMO_K_PRESSURE (2)", RequestSelector.describe(demo, request(demo, "pressure")));
    }

    @Test
    void initialisationSentencesGroupFieldsByFeature() {
        List<String> s = ConfigConditions.sentences(TestSpecs.device(TestSpecs.BLK));
        assertTrue(s.contains("If TOPOLOGY is negotiated, the driver can read physical_block_exp, alignment_offset,"
                + " min_io_size and opt_io_size; without it those fields are not valid."), s.toString());
        assertTrue(s.stream().noneMatch(x -> x.contains("unused")), "reserved fields are not mentioned");
    }

    @Test
    void diagramsSplitFieldsAtRowEnds() {
        DeviceModel demo = TestSpecs.device(TestSpecs.DEMO);
        ByteDiagram packed = ByteDiagram.of(struct(demo, "virtio_demo_packed"));
        assertEquals(4, packed.bytesPerRow(), "small structs use rows of 4 bytes");
        List<ByteDiagram.Box> value = packed.boxes().stream().filter(b -> b.title().startsWith("value:")).toList();
        assertEquals(2, value.size(), "bytes 1..4 cross the row end");
        assertEquals(3 * 120, value.get(0).w());
        assertEquals(120, value.get(1).w());
        assertEquals(value.get(0).y() + ByteDiagram.ROW_HEIGHT, value.get(1).y());
        ByteDiagram config = ByteDiagram.of(demo.config());
        assertEquals(8, config.bytesPerRow());
        assertEquals(5, config.offsets().size(), "40 bytes are 5 rows of 8");
        assertEquals("conditional", config.boxes().stream().filter(b -> b.title().startsWith("rate:")).findFirst()
                .orElseThrow().kind());
        ByteDiagram blob = ByteDiagram.of(struct(TestSpecs.device(Path.of("src/test/resources/specs/order.avps")), "blob"));
        ByteDiagram.Box open = blob.boxes().get(blob.boxes().size() - 1);
        assertEquals("open", open.kind());
        assertEquals(ByteDiagram.ROW_WIDTH, open.w());
        assertEquals("ab\u2026", ByteDiagram.fit("abcdefgh", 6 + 3 * ByteDiagram.CHAR_WIDTH));
        assertEquals("", ByteDiagram.fit("abcdefgh", 10));
    }
}
