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
 * Linux uapi headers, {@code include/linux/virtio_<dev>.h}, a drop-in for Linux's own. Types
 * declared outside devices are all in {@code include/linux/virtio_avps_shared.h}; a device header
 * carries the ones it uses itself, behind guards (see {@code SharedTypeUse}).
 */
public final class CLinuxTarget implements Target {

    static final String SHARED = "virtio_avps_shared";

    @Override
    public String name() {
        return "c-linux";
    }

    @Override
    public String description() {
        return "Linux uapi headers include/linux/virtio_<dev>.h";
    }

    @Override
    public List<FileRequest> plan(SpecModel model, GeneratorOptions options) {
        List<FileRequest> out = new ArrayList<>();
        boolean shared = CPortableTarget.hasShared(model);
        if (shared) {
            Map<String, Object> data = TemplateData.forCatalog(model);
            data.put("c", CHeaderView.shared(model.structs(), model.enums(), model.constants(), CDialect.LINUX, SHARED));
            data.put("CComment", TemplateData.statics(CComment.class));
            out.add(new FileRequest("include/linux/" + SHARED + ".h", name() + "/shared.h.ftl", data));
        }
        for (DeviceModel d : model.devices()) {
            Map<String, Object> data = TemplateData.forDevice(model, d);
            data.put("c", CHeaderView.of(d, model, CDialect.LINUX, d.cName()));
            data.put("CComment", TemplateData.statics(CComment.class));
            out.add(new FileRequest("include/linux/" + d.cName() + ".h", name() + "/device.h.ftl", data));
        }
        return out;
    }
}
