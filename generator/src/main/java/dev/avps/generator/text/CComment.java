package dev.avps.generator.text;

import java.util.ArrayList;
import java.util.List;

/** C block comments in the kernel's style: one line when it fits, else a starred block. */
public final class CComment {

    static final int WIDTH = 80;

    private CComment() {
    }

    /**
     * The comment for a doc, indented, ending in a newline; "" when there is no doc. A closing
     * comment delimiter inside the doc would end the comment early, so it is broken up.
     */
    public static String block(String doc, String indent) {
        List<String> paragraphs = new ArrayList<>();
        for (String p : Prose.paragraphs(doc)) {
            paragraphs.add(p.replace("*/", "* /"));
        }
        if (paragraphs.isEmpty()) {
            return "";
        }
        int tab = indent.replace("\t", "        ").length();
        if (paragraphs.size() == 1 && tab + 6 + paragraphs.get(0).length() <= WIDTH) {
            return indent + "/* " + paragraphs.get(0) + " */\n";
        }
        StringBuilder b = new StringBuilder(indent).append("/*\n");
        String sep = "";
        for (String p : paragraphs) {
            b.append(sep);
            for (String line : Prose.wrap(p, Math.max(20, WIDTH - tab - 3))) {
                b.append(indent).append(" * ").append(line).append('\n');
            }
            sep = indent + " *\n";
        }
        return b.append(indent).append(" */\n").toString();
    }
}
