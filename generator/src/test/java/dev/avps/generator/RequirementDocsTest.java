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
        assertEquals(3, v.deviceRequirements().size());
        assertEquals(1, v.checkableDeviceRequirements());
        assertEquals("Modeled 3 device requirements; checkable 1.", v.requirementCountLine());
    }

    @Test
    void markdownListsIdLevelSectionAndStatus() throws Exception {
        String md = GenerateFixture.file(GenerateFixture.render(TestSpecs.model(REQS), GeneratorOptions.defaults(),
                "docs-md"), "md/virtio_reqs.md");
        assertTrue(md.contains("### Device requirements\n\nModeled 3 device requirements; checkable 1.\n\n"
                + "| ID | Level | Section | Requirement | Status |\n"), md);
        assertTrue(md.contains("| **reqs_ro** | MUST | 5.99.6.2 | The device MUST fail writes & keep the data. (on `RO`)"
                + " | checked by `reqs_ro_fails`, `reqs_ro_keeps` |"), md);
        assertTrue(md.contains("| **reqs_durable** | MUST NOT | 5.99.6.2 | The device MUST NOT lose a completed flush. |"
                + " not checkable: needs a &lt;host> crash |"), md);
        assertTrue(md.contains("| **reqs_plain** | MAY | — | The device MAY answer slowly. | unstated |"), md);
        assertTrue(md.contains("- **reqs_drv**: The driver MUST wait for answers. (section 5.99.6.1)"), md);
    }

    @Test
    void htmlTableEscapesTheReason() throws Exception {
        String html = GenerateFixture.file(GenerateFixture.render(TestSpecs.model(REQS), GeneratorOptions.defaults(),
                "docs-html"), "html/virtio_reqs.html");
        assertTrue(html.contains("<p class=\"count\">Modeled 3 device requirements; checkable 1.</p>"), html);
        assertTrue(html.contains("<tr id=\"req-reqs_durable\"><td><strong>reqs_durable</strong></td><td>MUST NOT</td>"
                + "<td>5.99.6.2</td><td>The device <strong>MUST NOT</strong> lose a completed flush.</td>"
                + "<td>not checkable: needs a &lt;host&gt; crash</td></tr>"), html);
        assertTrue(html.contains("<td>checked by reqs_ro_fails, reqs_ro_keeps</td>"), html);
    }
}
