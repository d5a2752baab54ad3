package dev.avps.generator.c;

import dev.avps.model.FieldLayout;
import java.util.List;

/**
 * Whether a C compiler would insert padding into a run of fields: a member off its natural
 * alignment, or a total that is not a multiple of the largest alignment (tail padding). Request
 * parts need this because the header declares only their fixed prefix, which the model's
 * {@code naturallyAligned} (computed for the whole part) does not describe.
 */
public final class CPacking {

    private CPacking() {
    }

    /** Whether some member sits off its natural alignment (C would move it). */
    public static boolean hasMisalignedField(List<FieldLayout> fields) {
        return fields.stream().anyMatch(f -> f.base() == FieldLayout.OffsetBase.START && f.offset() % Math.max(1, f.align()) != 0);
    }

    public static boolean needsPacked(List<FieldLayout> fields, int size) {
        int maxAlign = 1;
        for (FieldLayout f : fields) {
            int align = Math.max(1, f.align());
            if (f.base() == FieldLayout.OffsetBase.START && f.offset() % align != 0) {
                return true;
            }
            maxAlign = Math.max(maxAlign, align);
        }
        return size % maxAlign != 0;
    }
}
