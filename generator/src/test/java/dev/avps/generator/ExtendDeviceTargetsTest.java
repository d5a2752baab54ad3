package dev.avps.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.model.DeviceModel;
import dev.avps.model.SpecModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A proposal extending the catalog's blk: generated once, as blk grown by it, additions marked. */
class ExtendDeviceTargetsTest {

    static final Path PROPOSAL = Path.of("src/test/resources/specs/proposal/blk-verify.avps");

    @Test
    void theGrownDeviceReplacesItsBase() {
        SpecModel m = TestSpecs.model(TestSpecs.BLK, PROPOSAL);
        assertEquals(1, m.devices().size(), "blk once, grown by the proposal");
        DeviceModel blk = m.devices().get(0);
        assertEquals(DeviceModel.Status.PROPOSAL, blk.status());
        assertEquals(96, blk.config().field("max_verify_sectors").orElseThrow().offset());
    }

    @Test
    void documentsMarkWhatTheProposalAdds() throws Exception {
        List<GeneratedFile> files = GenerateFixture.render(TestSpecs.model(TestSpecs.BLK, PROPOSAL),
                GeneratorOptions.defaults(), "docs-md", "docs-html", "c-linux");
        String md = GenerateFixture.file(files, "md/virtio_blk.md");
        assertTrue(md.contains("| 18 | `VERIFY` **(proposed)** |"), md);
        assertTrue(md.contains("| 9 | `FLUSH` (alias"), "blk's own bits carry no mark");
        assertTrue(md.contains("| 96 | 4 | `le32` | `max_verify_sectors` **(proposed)** | `VERIFY` |"), md);
        assertTrue(md.contains("### `verify` on `requestq` (proposed)"), md);
        assertTrue(md.contains("### `virtio_blk_verify_range` (proposed)"), md);
        assertTrue(md.contains("| **verify_ioerr** (proposed) | MUST |"), md);
        assertTrue(md.contains("### `read` on `requestq`\n"), "blk's own requests carry no mark");
        String html = GenerateFixture.file(files, "html/virtio_blk.html");
        assertTrue(html.contains("<code>VERIFY</code> <em class=\"proposed\">(proposed)</em>"), html);
        String h = GenerateFixture.file(files, "include/linux/virtio_blk.h");
        assertTrue(h.contains("#define VIRTIO_BLK_F_VERIFY\t18"), h);
        assertTrue(h.contains("#define VIRTIO_BLK_T_VERIFY\t30"), h);
    }
}
