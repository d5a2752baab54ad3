package dev.avps.generator.docs;

import dev.avps.generator.layout.LayoutRow;
import dev.avps.generator.layout.LayoutRows;
import dev.avps.model.StructLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of a struct's byte-layout picture: boxes scaled by bytes, rows of 4 bytes (8 for
 * structs with 8-byte fields or more than 16 bytes), a field that crosses a row split into one
 * box per row. Open-ended arrays get a dashed full-width row after the fixed bytes. Templates
 * draw the boxes; all arithmetic is here.
 *
 * @param width  the SVG width in pixels
 * @param height the SVG height in pixels
 */
public record ByteDiagram(int width, int height, int bytesPerRow, List<Box> boxes, List<Label> offsets) {

    static final int MARGIN = 40;
    static final int ROW_HEIGHT = 34;
    static final int ROW_WIDTH = 480;
    static final int CHAR_WIDTH = 7;

    /**
     * One rectangle.
     *
     * @param label  what fits inside (possibly shortened); the full text is in {@code title}
     * @param kind   field, reserved, conditional or open (CSS class names)
     */
    public record Box(int x, int y, int w, int h, String label, String title, String kind) {

        public int textX() {
            return x + w / 2;
        }

        public int textY() {
            return y + h / 2 + 4;
        }
    }

    /** A row's starting byte offset, printed left of the row. */
    public record Label(int x, int y, String text) {
    }

    public static ByteDiagram of(StructLayout s) {
        int perRow = s.align() >= 8 || s.size() > 16 ? 8 : 4;
        int byteW = ROW_WIDTH / perRow;
        List<Box> boxes = new ArrayList<>();
        List<LayoutRow> open = new ArrayList<>();
        int fixedEnd = 0;
        for (LayoutRow r : LayoutRows.of(s)) {
            if (r.start() < 0 || r.bytes() == 0) {
                open.add(r);
                continue;
            }
            fixedEnd = Math.max(fixedEnd, r.start() + r.bytes());
            String kind = r.reserved() ? "reserved" : r.condition().isEmpty() ? "field" : "conditional";
            String title = r.name() + ": " + r.type() + ", bytes " + r.start() + ".." + (r.start() + r.bytes() - 1)
                    + (r.condition().isEmpty() ? "" : ", when " + r.condition());
            int at = r.start();
            int end = r.start() + r.bytes();
            boolean first = true;
            while (at < end) {
                int row = at / perRow;
                int rowEnd = Math.min(end, (row + 1) * perRow);
                int x = MARGIN + (at - row * perRow) * byteW;
                int w = (rowEnd - at) * byteW;
                boxes.add(new Box(x, 10 + row * ROW_HEIGHT, w, ROW_HEIGHT, fit(first ? r.name() : "(" + r.name() + ")",
                        w), title, kind));
                first = false;
                at = rowEnd;
            }
        }
        int rows = (fixedEnd + perRow - 1) / perRow;
        List<Label> offsets = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            offsets.add(new Label(MARGIN - 6, 10 + i * ROW_HEIGHT + ROW_HEIGHT / 2 + 4, String.valueOf(i * perRow)));
        }
        for (LayoutRow r : open) {
            int y = 10 + rows * ROW_HEIGHT;
            String text = r.name() + " " + r.type() + " at " + r.offset();
            boxes.add(new Box(MARGIN, y, ROW_WIDTH, ROW_HEIGHT, fit(text, ROW_WIDTH), text + ", " + r.size() + " bytes",
                    "open"));
            offsets.add(new Label(MARGIN - 6, y + ROW_HEIGHT / 2 + 4, r.offset()));
            rows++;
        }
        return new ByteDiagram(MARGIN + ROW_WIDTH + 10, 20 + Math.max(1, rows) * ROW_HEIGHT, perRow, boxes, offsets);
    }

    /** The label shortened with an ellipsis to fit a box, or "" when not even three characters fit. */
    static String fit(String label, int width) {
        int max = (width - 6) / CHAR_WIDTH;
        if (label.length() <= max) {
            return label;
        }
        return max < 3 ? "" : label.substring(0, max - 1) + "\u2026";
    }
}
