package dev.avps.generator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalog's blk spec: its one driver-writable field is marked in every document and filtered in Java. */
class DriverWritableTargetsTest {

    private static List<GeneratedFile> blk(String... targets) throws GenerationException {
        return GenerateFixture.render(TestSpecs.model(TestSpecs.BLK), GeneratorOptions.defaults(), targets);
    }

    @Test
    void documentsMarkTheDriverWritableField() throws Exception {
        List<GeneratedFile> files = blk("docs-md", "docs-html", "docs-latex");
        String md = GenerateFixture.file(files, "md/virtio_blk.md");
        assertTrue(md.contains("| 32 | 1 | `u8` | `writeback` (driver-writable) | `CONFIG_WCE` |"), md);
        assertTrue(md.contains("| `capacity` |"), "read-only fields carry no mark");
        String html = GenerateFixture.file(files, "html/virtio_blk.html");
        assertTrue(html.contains("<code>writeback</code> <em>(driver-writable)</em>"), html);
        String tex = GenerateFixture.file(files, "latex/virtio_blk.tex");
        assertTrue(tex.contains("u8 writeback; /* when CONFIG_WCE, driver-writable */"), tex);
    }

    @Test
    void theConfigViewLetsDriverWritesLandOnlyInWriteback() throws Exception {
        String config = GenerateFixture.file(blk("java"), "VirtioBlkConfig.java");
        assertTrue(config.contains("return (at >= 32 && at < 33 && (f.has(11)));"), config);
        String base = GenerateFixture.file(blk("java"), "BlkDeviceBase.java");
        assertTrue(base.contains("if (config.write(offset, src, activeFeatures())) {"), base);
    }
}
