package dev.avps.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.generator.docs.DeviceDocView;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The docs targets list each device requirement with its ID, level, section and status, under a count line. */
class RequirementDocsTest {

    static final Path REQS = Path.of("src/test/resources/specs/reqs.avps");

    @Test
    void theViewCountsModeledAndCheckable() {
        DeviceDocView v = DeviceDocView.of(TestSpecs.device(REQS), "reqs.avps");
        assertEquals(4, v.deviceRequirements().size());
        assertEquals(2, v.checkableDeviceRequirements(), "reqs_ro by name, reqs_lines by its expectations too");
        assertEquals("Modeled 4 device requirements; checkable 2.", v.requirementCountLine());
    }

    @Test
    void markdownListsIdLevelSectionAndStatus() throws Exception {
        String md = GenerateFixture.file(GenerateFixture.render(TestSpecs.model(REQS), GeneratorOptions.defaults(),
                "docs-md"), "md/virtio_reqs.md");
        assertTrue(md.contains("### Device requirements\n\nModeled 4 device requirements; checkable 2.\n\n"
                + "| ID | Level | Section | Requirement | Status |\n"), md);
        assertTrue(md.contains("| **reqs_ro** | MUST | 5.99.6.2 | The device MUST fail writes & keep the data. (on `RO`)"
                + " | checked by `reqs_ro_fails`, `reqs_ro_keeps` |"), md);
        assertTrue(md.contains("| **reqs_durable** | MUST NOT | 5.99.6.2 | The device MUST NOT lose a completed flush. |"
                + " not checkable: needs a &lt;host> crash |"), md);
        assertTrue(md.contains("| **reqs_plain** | MAY | — | The device MAY answer slowly. | unstated |"), md);
        // An inline check shows as the expression written; a pipe inside it cannot end the cell.
        assertTrue(md.contains("| expect `lines >= 1`, `max_len <= lines * 512 when RO \\|\\| BIG`; checked by"
                + " `reqs_lines_used` |"), md);
        assertTrue(md.contains("- **reqs_drv**: The driver MUST wait for answers. (section 5.99.6.1)"), md);
    }

    @Test
    void htmlTableEscapesTheReason() throws Exception {
        String html = GenerateFixture.file(GenerateFixture.render(TestSpecs.model(REQS), GeneratorOptions.defaults(),
                "docs-html"), "html/virtio_reqs.html");
        assertTrue(html.contains("<p class=\"count\">Modeled 4 device requirements; checkable 2.</p>"), html);
        assertTrue(html.contains("<td>expect lines &gt;= 1, max_len &lt;= lines * 512 when RO || BIG;"
                + " checked by reqs_lines_used</td>"), html);
        assertTrue(html.contains("<tr id=\"req-reqs_durable\"><td><strong>reqs_durable</strong></td><td>MUST NOT</td>"
                + "<td>5.99.6.2</td><td>The device <strong>MUST NOT</strong> lose a completed flush.</td>"
                + "<td>not checkable: needs a &lt;host&gt; crash</td></tr>"), html);
        assertTrue(html.contains("<td>checked by reqs_ro_fails, reqs_ro_keeps</td>"), html);
    }

    @Test
    void theRulesEveryDeviceHonoursGetTheirOwnTable() throws Exception {
        java.util.List<GeneratedFile> files = GenerateFixture.render(TestSpecs.model(REQS), GeneratorOptions.defaults(),
                "docs-md", "docs-html");
        String md = GenerateFixture.file(files, "md/common-requirements.md");
        assertTrue(md.contains("Modeled 2 device requirements; checkable 1.\n"), md);
        assertTrue(md.contains("| **vq_len** | MUST | 2.7.8.2 | The device MUST write at least len bytes. |"
                + " checked by `vq_len_covers` |"), md);
        assertTrue(md.contains("| **vq_order** | MUST NOT | 2.7.8.2 | The device MUST NOT reorder stores. |"
                + " not checkable: invisible |"), md);
        String index = GenerateFixture.file(files, "html/index.html");
        assertTrue(index.contains("<p class=\"count\">Modeled 2 device requirements; checkable 1.</p>"), index);
        assertTrue(index.contains("<tr id=\"req-vq_len\"><td><strong>vq_len</strong></td><td>MUST</td><td>2.7.8.2</td>"),
                index);
        String device = GenerateFixture.file(files, "md/virtio_reqs.md");
        assertTrue(!device.contains("vq_len"), "shared rules stay off the device's page");
    }

    @Test
    void noCommonPageWithoutSharedRules() throws Exception {
        java.util.List<GeneratedFile> files = GenerateFixture.render(TestSpecs.model(TestSpecs.DEMO),
                GeneratorOptions.defaults(), "docs-md", "docs-html");
        assertTrue(files.stream().noneMatch(f -> f.path().contains("common-requirements")), "no empty page");
        assertTrue(!GenerateFixture.file(files, "html/index.html").contains("Rules every device honours"));
    }
}
