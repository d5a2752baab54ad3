package dev.avps.model;

import java.util.List;
import java.util.Optional;

/**
 * A device with everything resolved: the input the generator's templates consume.
 *
 * @param packageName the .avps package the device is declared in
 * @param config      the configuration layout, or {@code null} when the device has none
 * @param added       for a device grown by a proposal ({@code extend device}), what the proposal
 *                    adds, as {@code kind:name} keys (see {@link #adds}); empty otherwise
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
        List<RequirementModel> requirements,
        java.util.Set<String> added) {

    public enum Status { STANDARD, DRAFT, PROPOSAL }

    /** A device as declared, nothing added by a proposal. */
    public DeviceModel(String packageName, String name, int id, String specVersion, Status status, String cName,
            String doc, String sourceFile, List<FeatureModel> features, StructLayout config, List<StructLayout> structs,
            List<EnumModel> enums, List<ConstantModel> constants, List<QueueModel> queues, List<RequestModel> requests,
            List<RequirementModel> requirements) {
        this(packageName, name, id, specVersion, status, cName, doc, sourceFile, features, config, structs, enums,
                constants, queues, requests, requirements, java.util.Set.of());
    }

    /**
     * Whether a proposal added this element: kinds are {@code feature}, {@code config} (a config
     * field), {@code struct}, {@code enum}, {@code literal} (an enum value), {@code constant},
     * {@code queue}, {@code request} and {@code requirement}.
     */
    public boolean adds(String kind, String elementName) {
        return added.contains(kind + ":" + elementName);
    }

    public Optional<FeatureModel> feature(String featureName) {
        return features.stream().filter(f -> f.name().equals(featureName)).findFirst();
    }

    public Optional<StructLayout> configOpt() {
        return Optional.ofNullable(config);
    }
}
