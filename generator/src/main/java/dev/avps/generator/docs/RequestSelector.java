package dev.avps.generator.docs;

import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.RequestModel;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What selects a request format, e.g. {@code header.type == VIRTIO_BLK_T_IN (0)}: the model's
 * {@link dev.avps.model.RequestSelector} (path, mask, naming enum) in words. Values are named by
 * the selector's naming enum when the model found one, else shown as numbers.
 */
public final class RequestSelector {

    private RequestSelector() {
    }

    public static String describe(DeviceModel d, RequestModel r) {
        if (r.discriminator().isEmpty() || r.values().isEmpty()) {
            return "";
        }
        dev.avps.model.RequestSelector s = r.selector();
        Optional<EnumModel> names = s == null || s.namingEnum() == null ? Optional.empty()
                : d.enums().stream().filter(e -> e.name().equals(s.namingEnum())).findFirst();
        List<String> values = new ArrayList<>();
        for (BigInteger v : r.values()) {
            String name = names.flatMap(e -> e.literals().stream().filter(l -> l.value().equals(v)).findFirst())
                    .map(l -> l.name() + " (" + v + ")").orElse(v.toString());
            values.add(name);
        }
        String path = String.join(".", r.discriminator())
                + (r.mask() == null ? "" : " & 0x" + r.mask().toString(16));
        return values.size() == 1 ? path + " == " + values.get(0) : path + " in " + String.join(", ", values);
    }
}
