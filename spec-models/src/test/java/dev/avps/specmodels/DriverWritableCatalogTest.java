package dev.avps.specmodels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.avps.model.DeviceModel;
import dev.avps.model.FieldLayout;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The catalog marks exactly the config fields VIRTIO 1.4 lets a driver write. The list is the
 * spec's, chapter by chapter (blk "writeback" with CONFIG_WCE; balloon "actual", and
 * "poison_val" in the PAGE_POISON initialization step; console "emerg_wr"; gpu
 * "events_clear"; input "select"/"subsel"; iommu "bypass" with BYPASS_CONFIG; scsi
 * "sense_size"/"cdb_size"); balloon's free_page_hint_cmd_id is read-only for the driver.
 */
class DriverWritableCatalogTest {

    @Test
    void exactlyTheSpecsDriverWritableFieldsAreMarked() {
        Set<String> marked = new TreeSet<>();
        for (DeviceModel d : Catalog.load().model().devices()) {
            if (d.config() == null) {
                continue;
            }
            for (FieldLayout f : d.config().fields()) {
                if (f.driverWritable()) {
                    marked.add(d.name() + "." + f.name());
                }
            }
        }
        assertEquals(new TreeSet<>(Set.of("blk.writeback", "balloon.actual", "balloon.poison_val", "console.emerg_wr",
                "gpu.events_clear", "input.select", "input.subsel", "iommu.bypass", "scsi.sense_size",
                "scsi.cdb_size")), marked);
    }
}
