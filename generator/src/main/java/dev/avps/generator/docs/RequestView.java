package dev.avps.generator.docs;

import dev.avps.generator.layout.LayoutRow;
import java.util.List;

/**
 * A request format: which queue, what selects it, both parts as layout rows and as declaration
 * lines in the VIRTIO spec's notation.
 */
public record RequestView(String name, String doc, String queue, String selector, List<LayoutRow> readable,
        List<LayoutRow> writable, List<String> readableListing, List<String> writableListing) {
}
