package dev.avps.diff;

import dev.avps.model.DeviceModel;
import dev.avps.model.SpecModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The changes between two loaded sets of specs, device by device (matched by name). */
public final class SpecDiff {

    private SpecDiff() {
    }

    public static List<Change> of(SpecModel before, SpecModel after) {
        Map<String, DeviceModel> a = byName(before);
        Map<String, DeviceModel> b = byName(after);
        List<Change> out = new ArrayList<>();
        for (DeviceModel d : a.values()) {
            DeviceModel n = b.get(d.name());
            if (n == null) {
                out.add(new Change(d.name(), Rule.DEVICE_REMOVED, "device " + d.name(), "ID " + d.id()));
            } else {
                DeviceDiff.compare(d, n, f -> out.add(new Change(d.name(), f.rule(), f.element(), f.detail())));
            }
        }
        for (DeviceModel n : b.values()) {
            if (!a.containsKey(n.name())) {
                out.add(new Change(n.name(), Rule.DEVICE_ADDED, "device " + n.name(), "ID " + n.id()));
            }
        }
        return out;
    }

    private static Map<String, DeviceModel> byName(SpecModel m) {
        Map<String, DeviceModel> out = new LinkedHashMap<>();
        m.devices().forEach(d -> out.putIfAbsent(d.name(), d));
        return out;
    }
}
