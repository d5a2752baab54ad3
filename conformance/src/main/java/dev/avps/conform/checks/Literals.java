package dev.avps.conform.checks;

import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;

/** The catalog's enum literals by name, so the hand-written checks never retype a wire value. */
final class Literals {

    private Literals() {
    }

    static long value(DeviceModel device, String enumName, String literal) {
        EnumModel e = device.enums().stream().filter(x -> x.name().equals(enumName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the catalog's " + device.name() + " has no enum " + enumName));
        return e.literals().stream().filter(l -> l.name().equals(literal)).findFirst()
                .orElseThrow(() -> new IllegalStateException(enumName + " has no " + literal)).value().longValue();
    }
}
