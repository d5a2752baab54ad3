package dev.avps.generator.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Escaping and wrapping of spec prose for LaTeX, Markdown and C comments. */
class TextEscapingTest {

    @Test
    void latexEscapesEverySpecialCharacter() {
        assertEquals("100\\% \\& \\$5 \\#1 \\{a\\_b\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}"
                + " \\textless{}x\\textgreater{} a\\textbar{}b", LatexText.escape("100% & $5 #1 {a_b} ~ ^ \\ <x> a|b"));
        assertEquals("", LatexText.escape(null));
        assertEquals("Device Types / virtio-blk", LatexText.labelKey("Device Types / virtio-blk"));
        assertEquals("ab", LatexText.labelKey("{a}%\\b"));
    }

    @Test
    void markdownCellsCannotBreakTheTable() {
        assertEquals("a \\| b c", MarkdownText.cell("a | b\n  c"));
        assertEquals("x\\_y \\*z\\*", MarkdownText.cell("x_y *z*"));
        assertEquals("`A \\|\\| B`", MarkdownText.code("A || B"));
        assertEquals("`` a`b ``", MarkdownText.code("a`b"));
        assertEquals("", MarkdownText.code(""));
    }

    @Test
    void proseIsRejoinedIntoParagraphs() {
        assertEquals(List.of("one two three", "four"), Prose.paragraphs("one\n two   three\n\n  four\n"));
        assertEquals(List.of(), Prose.paragraphs(null));
        assertEquals(List.of("aaa bbb", "ccc"), Prose.wrap("aaa bbb ccc", 7));
        assertEquals(List.of("averyveryverylongword", "x"), Prose.wrap("averyveryverylongword x", 5));
    }

    @Test
    void cCommentsFitOnOneLineOrBecomeABlock() {
        assertEquals("\t/* Short. */\n", CComment.block("Short.", "\t"));
        assertEquals("", CComment.block(null, ""));
        String longDoc = "word ".repeat(30).strip();
        String block = CComment.block(longDoc + "\n\nSecond.", "");
        assertTrue(block.startsWith("/*\n * word word"), block);
        assertTrue(block.contains("\n *\n * Second.\n */\n"), block);
        for (String line : block.split("\n")) {
            assertTrue(line.length() <= 80, line);
        }
        assertFalse(CComment.block("ends */ early", "").contains("ends */"), "a doc must not close the comment");
    }
}
