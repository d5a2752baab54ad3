package dev.avps.generator.c;

import java.util.List;

/**
 * One member of a C struct, ready to print: {@code type name suffix;}.
 *
 * @param kind     FIELD for a plain member, UNION for a union whose alternatives are
 *                 {@code members}, GROUP for an anonymous struct inside a union, FLEX_ONLY for an
 *                 open-ended array that is a struct's only member (C needs a named member before
 *                 it: Linux's __DECLARE_FLEX_ARRAY puts an empty struct there)
 * @param suffix   the array part, e.g. {@code [20]} or {@code []}
 * @param note     what the spec says about when the field exists, e.g. "if VIRTIO_BLK_F_RO"
 */
public record CMember(Kind kind, String type, String name, String suffix, String doc, String note, int offset,
        int size, List<CMember> members) {

    public enum Kind { FIELD, UNION, GROUP, FLEX_ONLY }

    /** The doc and the note as one comment text. */
    public String comment() {
        if (note.isEmpty()) {
            return doc;
        }
        return doc.isEmpty() ? "(" + note + ")" : doc + " (" + note + ")";
    }
}
