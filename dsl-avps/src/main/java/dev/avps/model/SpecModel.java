package dev.avps.model;

import java.util.List;
import java.util.Map;

/**
 * Everything loaded from a set of .avps files, resolved and laid out, in declaration order.
 * Types declared outside any device are shared and listed here; each device lists its own.
 *
 * @param sharedPackages the .avps package of each shared struct, enum and constant, by name: a
 *                       generator groups shared types by it (the c-linux target writes the types of
 *                       package {@code virtio.ring} into {@code virtio_ring.h})
 * @param requirements   the requirements declared outside any device: rules every device honours
 *                       (feature negotiation, reset, the virtqueue rules), in declaration order
 * @param platforms      the virtual platforms declared, each over the devices above
 */
public record SpecModel(
        List<DeviceModel> devices,
        List<FeatureModel> transportFeatures,
        List<StructLayout> structs,
        List<EnumModel> enums,
        List<ConstantModel> constants,
        Map<String, String> sharedPackages,
        List<RequirementModel> requirements,
        List<PlatformModel> platforms) {

    public SpecModel {
        sharedPackages = Map.copyOf(sharedPackages);
        requirements = List.copyOf(requirements);
        platforms = List.copyOf(platforms);
    }

    /** A model without platforms. */
    public SpecModel(List<DeviceModel> devices, List<FeatureModel> transportFeatures, List<StructLayout> structs,
            List<EnumModel> enums, List<ConstantModel> constants, Map<String, String> sharedPackages,
            List<RequirementModel> requirements) {
        this(devices, transportFeatures, structs, enums, constants, sharedPackages, requirements, List.of());
    }

    /** A model without shared requirements. */
    public SpecModel(List<DeviceModel> devices, List<FeatureModel> transportFeatures, List<StructLayout> structs,
            List<EnumModel> enums, List<ConstantModel> constants, Map<String, String> sharedPackages) {
        this(devices, transportFeatures, structs, enums, constants, sharedPackages, List.of());
    }

    /** A model whose shared types carry no package (built by hand, e.g. in tests). */
    public SpecModel(List<DeviceModel> devices, List<FeatureModel> transportFeatures, List<StructLayout> structs,
            List<EnumModel> enums, List<ConstantModel> constants) {
        this(devices, transportFeatures, structs, enums, constants, Map.of());
    }

    /** The shared structs a device uses (contains, transitively), in declaration order. */
    public List<StructLayout> sharedStructsOf(DeviceModel d) {
        return SharedTypeUse.structs(d, this);
    }

    /** The shared enums that type a field of the device or of the shared structs it uses. */
    public List<EnumModel> sharedEnumsOf(DeviceModel d) {
        return SharedTypeUse.enums(d, this);
    }

    /** The package a shared type was declared in, or "" when the model does not know. */
    public String packageOf(String sharedTypeName) {
        return sharedPackages.getOrDefault(sharedTypeName, "");
    }
}
