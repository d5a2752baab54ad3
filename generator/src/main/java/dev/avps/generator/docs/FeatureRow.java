package dev.avps.generator.docs;

import java.util.List;

/** A feature bit as the documentation tables show it. */
public record FeatureRow(int bit, String name, String macro, List<String> aliases, String doc, String requires,
        boolean legacy, boolean deprecated) {

    /** "legacy", "deprecated", both or "". */
    public String flags() {
        return legacy && deprecated ? "legacy, deprecated" : legacy ? "legacy" : deprecated ? "deprecated" : "";
    }
}
