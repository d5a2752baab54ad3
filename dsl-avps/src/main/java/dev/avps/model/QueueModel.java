package dev.avps.model;

/**
 * A virtqueue, or a family of them.
 *
 * <p>Instance {@code k} (0-based, below {@code count}) has queue index
 * {@code firstIndex + k * stride}. A queue outside any group has stride 1: its instances are
 * consecutive. Members of a group share the group's count and interleave: stride is the number
 * of members.
 *
 * @param group the group the queue repeats with, or {@code null}
 * @param condition features without which the queue does not exist, or {@code null}
 */
public record QueueModel(
        String name,
        String doc,
        Direction direction,
        ValueExpr count,
        FeatureExpr condition,
        ValueExpr firstIndex,
        int stride,
        String group) {

    public enum Direction { DRIVER_TO_DEVICE, DEVICE_TO_DRIVER }
}
