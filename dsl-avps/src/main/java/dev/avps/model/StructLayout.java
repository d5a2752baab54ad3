package dev.avps.model;

import java.util.List;
import java.util.Optional;

/**
 * A struct with every field placed.
 *
 * @param size         bytes with every conditional field present and every variable array empty
 * @param minSize      bytes up to the end of the last field that exists whatever the features
 * @param align        the largest natural alignment of any member (what C would align it to)
 * @param variable     whether a run-time sized or flexible array makes the size open-ended
 * @param expectedSize the size the author declared with {@code size N}, or -1
 * @param naturallyAligned whether a C compiler would lay it out exactly so without {@code packed}
 */
public record StructLayout(
        String name,
        String cName,
        String doc,
        boolean config,
        List<FieldLayout> fields,
        int size,
        int minSize,
        int align,
        boolean variable,
        int expectedSize,
        boolean naturallyAligned) {

    /**
     * Whether the struct's own fields say where it ends: true when it is fixed or ends in a run-time
     * sized array; false when a flexible array (or a field placed from the end) makes only the
     * enclosing buffer's length tell.
     */
    public boolean measurable() {
        for (FieldLayout f : fields) {
            if (f.base() == FieldLayout.OffsetBase.END || f.arrayKind() == FieldLayout.ArrayKind.FLEXIBLE
                    || (f.nested() != null && f.nested().variable() && !f.nested().measurable())) {
                return false;
            }
        }
        return true;
    }

    public Optional<FieldLayout> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }
}
