package dev.avps.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.model.DeviceModel;
import dev.avps.model.SpecModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
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

    /**
     * The LaTeX chapter marks the same elements as the Markdown one: every added feature bit,
     * config field, struct, request and requirement, and nothing of blk's own.
     */
    @Test
    void latexChapterMarksExactlyWhatTheProposalAdds() throws Exception {
        SpecModel m = TestSpecs.model(TestSpecs.BLK, PROPOSAL);
        // What the model says was added; the enum value has no place of its own in the chapter
        // (the verify paragraph names it as its selector).
        assertEquals(Set.of("feature:VERIFY", "config:max_verify_sectors", "literal:VIRTIO_BLK_T_VERIFY",
                "struct:virtio_blk_verify_range", "request:verify", "requirement:verify_bound",
                "requirement:verify_ioerr"), m.devices().get(0).added());
        String tex = GenerateFixture.file(GenerateFixture.render(m, GeneratorOptions.defaults(), "docs-latex"),
                "latex/virtio_blk.tex");
        List<String> marked = Arrays.stream(tex.split("\n")).filter(l -> l.contains("(proposed)")).toList();
        List<String> expected = List.of(
                "Elements marked \\emph{(proposed)} are what the proposal in \\texttt{",
                "\\item[VIRTIO\\_BLK\\_F\\_VERIFY (18)] \\emph{(proposed)} The device accepts",
                "        le32 max_verify_sectors; /* when VERIFY (proposed) */",
                "\\emph{(proposed)} What a VERIFY request checks",
                "\\paragraph{verify} \\emph{(proposed)} on requestq, selected by header.type == VIRTIO\\_BLK\\_T\\_VERIFY",
                "The driver MUST NOT send a VERIFY request covering more than max\\_verify\\_sectors sectors. "
                        + "\\emph{(proposed)}",
                "The device MUST complete a VERIFY request with");
        assertEquals(expected.size(), marked.size(), String.join("\n", marked));
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(marked.get(i).startsWith(expected.get(i)), marked.get(i));
            assertEquals(1, marked.get(i).split("\\(proposed\\)", -1).length - 1, "one mark per element");
        }
        assertTrue(tex.contains("\\item[VIRTIO\\_BLK\\_F\\_FLUSH (9)] Cache flush"), "blk's own bits carry no mark");
        assertTrue(tex.contains("\\paragraph{read} on requestq,"), "blk's own requests carry no mark");
        assertTrue(tex.contains("        virtio32 max_discard_sectors; /* when DISCARD */\n"), "blk's own config fields");
        // The marks keep the chapter well-formed: braces balance outside listings, listings stay C.
        String prose = tex.replaceAll("(?s)\\\\begin\\{lstlisting\\}.*?\\\\end\\{lstlisting\\}", "")
                .replace("\\{", "").replace("\\}", "");
        assertEquals(prose.chars().filter(c -> c == '{').count(), prose.chars().filter(c -> c == '}').count());
        // blk alone is a standard device: nothing in its chapter is marked.
        String plain = GenerateFixture.file(GenerateFixture.render(TestSpecs.model(TestSpecs.BLK),
                GeneratorOptions.defaults(), "docs-latex"), "latex/virtio_blk.tex");
        assertFalse(plain.contains("proposed"), plain);
    }
}
