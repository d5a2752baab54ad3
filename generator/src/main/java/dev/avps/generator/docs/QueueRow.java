package dev.avps.generator.docs;

/**
 * A virtqueue (family) in words.
 *
 * @param indexes   the index rule, e.g. "0" or "2 + 2k, k = 0 .. max_nr_ports - 2"
 * @param count     how many instances, "1" for a single queue
 */
public record QueueRow(String name, String doc, String direction, String indexes, String count, String condition,
        String group) {
}
