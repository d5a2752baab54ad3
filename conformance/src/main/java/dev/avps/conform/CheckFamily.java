package dev.avps.conform;

import dev.avps.model.DeviceModel;
import java.util.List;

/**
 * A group of related checks (feature negotiation, config space, one device's behaviour...). The
 * {@link Registry} lists families; each decides for itself which devices it applies to, so adding
 * a device's checks is adding a family, not editing a dispatch.
 */
public interface CheckFamily {

    /** Whether this family has checks for the device; generic families keep the default, every device. */
    default boolean appliesTo(DeviceModel device) {
        return true;
    }

    /**
     * Device features without which the backend may refuse FEATURES_OK because the spec tells it to:
     * one the chapter obliges every driver to accept (virtio-i2c's ZERO_LENGTH_REQUEST), or one a
     * kind of device needs (ZONED on a host-managed blk, 5.2.5.2, probed through {@code ctx}). The
     * generic checks keep them in every feature set they try. 0 by default.
     */
    default long insistedFeatures(CheckContext ctx) throws Exception {
        return 0;
    }

    /** The family's checks for the device, in the order they run. */
    List<Check> checks(DeviceModel device);
}
