package dev.avps.generator.docs;

import dev.avps.model.DeviceModel;
import dev.avps.model.FieldLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The initialisation facts the config layout implies: which fields exist once which features are
 * negotiated. Spec chapters state these in their "Device Initialization" sections.
 */
public final class ConfigConditions {

    private ConfigConditions() {
    }

    public static List<String> sentences(DeviceModel d) {
        List<String> out = new ArrayList<>();
        if (d.config() == null) {
            return out;
        }
        Map<String, List<String>> byCondition = new LinkedHashMap<>();
        for (FieldLayout f : d.config().fields()) {
            if (f.condition() != null && !f.reserved()) {
                byCondition.computeIfAbsent(f.condition().render(), k -> new ArrayList<>()).add(f.name());
            }
        }
        for (Map.Entry<String, List<String>> e : byCondition.entrySet()) {
            List<String> fields = e.getValue();
            String list = fields.size() == 1 ? fields.get(0)
                    : String.join(", ", fields.subList(0, fields.size() - 1)) + " and " + fields.get(fields.size() - 1);
            out.add("If " + e.getKey() + " is negotiated, the driver can read " + list
                    + (fields.size() == 1 ? "; without it the field is not valid." : "; without it those fields are not valid."));
        }
        return out;
    }
}
