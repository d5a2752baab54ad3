package dev.avps.generator.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Doc comments as plain prose: the spec author's line breaks are an artefact of the source's width,
 * so text is joined into one paragraph per blank-line-separated block and re-wrapped per output.
 */
public final class Prose {

    private Prose() {
    }

    /** Paragraphs of single-spaced text; empty for a missing doc. */
    public static List<String> paragraphs(String doc) {
        List<String> out = new ArrayList<>();
        if (doc == null) {
            return out;
        }
        for (String block : doc.strip().split("\\n\\s*\\n")) {
            String p = block.strip().replaceAll("\\s+", " ");
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    /** The whole doc on one line (paragraphs joined by a space); "" for none. */
    public static String oneLine(String doc) {
        return String.join(" ", paragraphs(doc));
    }

    /** Greedy word wrap; a word longer than the width gets a line of its own. */
    public static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
