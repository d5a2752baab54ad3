package dev.avps.generator.targets;

import dev.avps.generator.FileRequest;
import dev.avps.generator.GeneratorOptions;
import dev.avps.generator.Target;
import dev.avps.generator.TemplateData;
import dev.avps.generator.c.CDialect;
import dev.avps.generator.c.CHeaderView;
import dev.avps.generator.c.CLinuxHeaderSet;
import dev.avps.generator.text.CComment;
import dev.avps.model.DeviceModel;
import dev.avps.model.SpecModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Linux uapi headers, {@code include/linux/virtio_<dev>.h}, a drop-in for Linux's own, plus the
 * transport headers Linux keeps beside them ({@code virtio_types.h}, {@code virtio_ids.h},
 * {@code virtio_config.h} and one per shared package, e.g. {@code virtio_ring.h}; see
 * {@link CLinuxHeaderSet}). A device header carries the shared types it uses itself, behind guards
 * (the model's {@code sharedStructsOf}).
 */
public final class CLinuxTarget implements Target {

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
        List<CLinuxHeaderSet.Header> headers = CLinuxHeaderSet.of(model);
        if (CLinuxHeaderSet.needsTypes(headers)) {
            out.add(new FileRequest("include/linux/virtio_types.h", name() + "/virtio_types.h.ftl",
                    TemplateData.forCatalog(model)));
        }
        for (CLinuxHeaderSet.Header h : headers) {
            Map<String, Object> data = TemplateData.forCatalog(model);
            data.put("c", h.c());
            data.put("h", h);
            data.put("CComment", TemplateData.statics(CComment.class));
            out.add(new FileRequest("include/linux/" + h.stem() + ".h", name() + "/shared.h.ftl", data));
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
