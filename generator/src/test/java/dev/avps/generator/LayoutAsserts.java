package dev.avps.generator;

import dev.avps.model.DeviceModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.StructLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * C {@code _Static_assert}s of every struct's size and every field's offset, written from the model
 * independently of the generator's own views, so a header that disagrees with the layout engine
 * fails to compile.
 */
final class LayoutAsserts {

    private LayoutAsserts() {
    }

    static String forDevice(DeviceModel d, String prefix) {
        List<StructLayout> all = new ArrayList<>(d.structs());
        d.configOpt().ifPresent(all::add);
        StringBuilder b = new StringBuilder();
        for (StructLayout s : all) {
            String name = prefix + s.cName();
            b.append("_Static_assert(sizeof(struct ").append(name).append(") == ").append(s.size())
                    .append(", \"sizeof ").append(name).append("\");\n");
            for (FieldLayout f : s.fields()) {
                b.append("_Static_assert(offsetof(struct ").append(name).append(", ").append(f.cName()).append(") == ")
                        .append(f.offset()).append(", \"offsetof ").append(name).append('.').append(f.cName())
                        .append("\");\n");
            }
        }
        return b.toString();
    }
}
