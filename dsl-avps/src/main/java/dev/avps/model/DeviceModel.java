package dev.avps.model;

import java.util.List;
import java.util.Optional;

/**
 * A device with everything resolved: the input the generator's templates consume.
 *
 * @param packageName the .avps package the device is declared in
 * @param config      the configuration layout, or {@code null} when the device has none
 */
public record DeviceModel(
        String packageName,
        String name,
        int id,
        String specVersion,
        Status status,
        String cName,
        String doc,
        String sourceFile,
        List<FeatureModel> features,
        StructLayout config,
        List<StructLayout> structs,
        List<EnumModel> enums,
        List<ConstantModel> constants,
        List<QueueModel> queues,
        List<RequestModel> requests,
        List<RequirementModel> requirements) {

    public enum Status { STANDARD, DRAFT, PROPOSAL }

    public Optional<FeatureModel> feature(String featureName) {
        return features.stream().filter(f -> f.name().equals(featureName)).findFirst();
    }

    public Optional<StructLayout> configOpt() {
        return Optional.ofNullable(config);
    }
}
