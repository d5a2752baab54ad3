package dev.avps.generator.targets;

import dev.avps.generator.FileRequest;
import dev.avps.generator.GeneratorOptions;
import dev.avps.generator.Target;
import dev.avps.generator.TemplateData;
import dev.avps.generator.c.CDialect;
import dev.avps.generator.c.CHeaderView;
import dev.avps.generator.text.CComment;
import dev.avps.model.DeviceModel;
import dev.avps.model.SpecModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Headers for code without Linux headers (hypervisors, RTOS): {@code <stdint.h>} types, every name
 * prefixed, byte-order accessors per field and compile-time checks of the whole layout. Written
 * as {@code <prefix><dev>.h} under {@code include/}; the byte-order helpers live in
 * {@code <prefix>byteorder.h}.
 */
public final class CPortableTarget implements Target {

    @Override
    public String name() {
        return "c-portable";
    }

    @Override
    public String description() {
        return "portable C11 headers with endian accessors and layout asserts";
    }

    private static boolean hasShared(SpecModel model) {
        return !model.structs().isEmpty() || !model.enums().isEmpty() || !model.constants().isEmpty();
    }

    @Override
    public List<FileRequest> plan(SpecModel model, GeneratorOptions options) {
        CDialect dialect = CDialect.portable(options.cPrefix());
        List<FileRequest> out = new ArrayList<>();
        String byteOrder = dialect.ident("byteorder");
        Map<String, Object> common = TemplateData.forCatalog(model);
        common.put("guard", dialect.macro("BYTEORDER_H"));
        common.put("prefix", dialect.ident(""));
        out.add(new FileRequest("include/" + byteOrder + ".h", name() + "/byteorder.h.ftl", common));
        String shared = dialect.ident("shared");
        if (hasShared(model)) {
            Map<String, Object> data = TemplateData.forCatalog(model);
            data.put("c", CHeaderView.shared(model.structs(), model.enums(), model.constants(), dialect, "shared"));
            data.put("CComment", TemplateData.statics(CComment.class));
            data.put("byteOrderHeader", byteOrder + ".h");
            out.add(new FileRequest("include/" + shared + ".h", name() + "/shared.h.ftl", data));
        }
        for (DeviceModel d : model.devices()) {
            Map<String, Object> data = TemplateData.forDevice(model, d);
            data.put("c", CHeaderView.of(d, model, dialect, d.cName()));
            data.put("CComment", TemplateData.statics(CComment.class));
            data.put("byteOrderHeader", byteOrder + ".h");
            out.add(new FileRequest("include/" + dialect.ident(d.cName()) + ".h", name() + "/device.h.ftl", data));
        }
        return out;
    }
}
