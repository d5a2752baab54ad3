package dev.avps.model;

import java.util.List;

/**
 * A feature bit.
 *
 * @param owner    the device name, or the name of the transport feature set
 * @param requires the features that must be negotiated with this one, or {@code null}
 */
public record FeatureModel(
        String owner,
        String name,
        int bit,
        String doc,
        boolean legacy,
        boolean deprecated,
        List<String> aliases,
        String cName,
        FeatureExpr requires) {
}
