package dev.avps.conform.checks;

import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;

/** The catalog's enum literals and constants by name, so the hand-written checks never retype a wire value. */
final class Literals {

    private Literals() {
    }

    static long value(DeviceModel device, String enumName, String literal) {
        return enumOf(device, enumName).literals().stream().filter(l -> l.name().equals(literal)).findFirst()
                .orElseThrow(() -> new IllegalStateException(enumName + " has no " + literal)).value().longValue();
    }

    static EnumModel enumOf(DeviceModel device, String enumName) {
        return device.enums().stream().filter(x -> x.name().equals(enumName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the catalog's " + device.name() + " has no enum " + enumName));
    }

    /** A named constant of the catalog's device (e.g. VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN). */
    static long constant(DeviceModel device, String name) {
        return device.constants().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the catalog's " + device.name() + " has no constant " + name))
                .value().longValue();
    }
}
