package dev.avps.model;

import java.util.List;

/**
 * Everything loaded from a set of .avps files, resolved and laid out, in declaration order.
 * Types declared outside any device are shared and listed here; each device lists its own.
 */
public record SpecModel(
        List<DeviceModel> devices,
        List<FeatureModel> transportFeatures,
        List<StructLayout> structs,
        List<EnumModel> enums,
        List<ConstantModel> constants) {
}
