package dev.avps.generator.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.generator.TestSpecs;
import dev.avps.model.SpecModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CLinuxHeaderSetTest {

    @Test
    void aPackageWithoutDevicesGetsTheLinuxHeaderOfItsName() {
        assertEquals("virtio_ring", CLinuxHeaderSet.headerOf("virtio.ring", Set.of()));
        assertEquals(CLinuxHeaderSet.CATCH_ALL, CLinuxHeaderSet.headerOf("virtio.blk", Set.of("virtio.blk")),
                "a device's package would collide with the device header");
        assertEquals(CLinuxHeaderSet.CATCH_ALL, CLinuxHeaderSet.headerOf("test.shared", Set.of()));
        assertEquals(CLinuxHeaderSet.CATCH_ALL, CLinuxHeaderSet.headerOf("", Set.of()));
    }

    @Test
    void oneDeviceAloneLeavesLinuxsTransportHeadersInCharge() {
        List<CLinuxHeaderSet.Header> headers = CLinuxHeaderSet.of(TestSpecs.model(TestSpecs.BLK));
        assertEquals(List.of(), headers, "a virtio_ids.h with blk alone would shadow Linux's complete one");
        assertFalse(CLinuxHeaderSet.needsTypes(headers));
    }

    @Test
    void theCatalogFillsLinuxsWholeSet() {
        SpecModel catalog = TestSpecs.model(Path.of("../spec-models/src/main/avps"));
        Map<String, CLinuxHeaderSet.Header> byStem = CLinuxHeaderSet.of(catalog).stream()
                .collect(Collectors.toMap(CLinuxHeaderSet.Header::stem, Function.identity()));
        assertEquals(Set.of("virtio_config", "virtio_ids", "virtio_mmio", "virtio_pci", "virtio_ring", "virtio_video"),
                byStem.keySet());
        Map<String, CMacro> config = macros(byStem.get("virtio_config").bits());
        assertEquals("32", config.get("VIRTIO_F_VERSION_1").value());
        assertTrue(config.get("VIRTIO_F_NOTIFY_ON_EMPTY").legacy());
        assertEquals("VIRTIO_F_ACCESS_PLATFORM", config.get("VIRTIO_F_IOMMU_PLATFORM").value());
        assertFalse(config.containsKey("VIRTIO_RING_F_EVENT_IDX"), "Linux keeps the ring bits in virtio_ring.h");
        assertEquals("29", macros(byStem.get("virtio_ring").bits()).get("VIRTIO_RING_F_EVENT_IDX").value());
        assertEquals("virtio_ring.ftl", byStem.get("virtio_ring").extras());
        Map<String, CMacro> ids = macros(byStem.get("virtio_ids").deviceIds());
        assertEquals("65520", ids.get("VIRTIO_ID_SENSOR").value(), "an ID the list does not name");
        assertFalse(ids.containsKey("VIRTIO_ID_BLK"), "the list names 2 as VIRTIO_ID_BLOCK");
        assertTrue(byStem.get("virtio_mmio").c().constants().stream().anyMatch(k -> k.name().equals("VIRTIO_MMIO_QUEUE_PFN")));
    }

    private static Map<String, CMacro> macros(List<CMacro> list) {
        return list.stream().collect(Collectors.toMap(CMacro::name, Function.identity()));
    }
}
