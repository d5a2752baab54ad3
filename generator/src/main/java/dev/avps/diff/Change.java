package dev.avps.diff;

/**
 * One difference between two versions of a device.
 *
 * @param device  the device name
 * @param rule    the kind of change, which says whether it breaks
 * @param element what changed, e.g. {@code feature FLUSH} or {@code config.writeback}
 * @param detail  old and new value in words, e.g. {@code bit 9 -> 10}
 */
public record Change(String device, Rule rule, String element, String detail) {

    public boolean breaking() {
        return rule.breaking();
    }
}
