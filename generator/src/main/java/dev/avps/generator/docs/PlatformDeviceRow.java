package dev.avps.generator.docs;

import java.util.List;

/**
 * A device's row in a platform's device x requirement matrix. Each cell is a list of entries
 * (an empty one prints as a dash): feature names in the offer columns, "VERSION_1 (SHOULD)" where
 * the level is not the column's own, "seg_max >= 1 (SHOULD)" for bounds.
 *
 * @param page       the device's page name without extension (its C name), or null when the
 *                   output has no page for it (the catalog was only a library)
 * @param mustOffer  features the device MUST offer
 * @param mustNot    features it MUST NOT offer
 * @param optional   SHOULD / MAY (NOT) offers, each with its keyword
 */
public record PlatformDeviceRow(String name, String page, int id, String level, List<String> mustOffer,
        List<String> mustNot, List<String> optional, List<String> config, List<String> queues,
        List<String> queueSize) {

    public PlatformDeviceRow {
        mustOffer = List.copyOf(mustOffer);
        mustNot = List.copyOf(mustNot);
        optional = List.copyOf(optional);
        config = List.copyOf(config);
        queues = List.copyOf(queues);
        queueSize = List.copyOf(queueSize);
    }

    /** The demand cells in column order, for templates that print them alike. */
    public List<List<String>> cells() {
        return List.of(mustOffer, mustNot, optional, config, queues, queueSize);
    }
}
