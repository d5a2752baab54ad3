package dev.avps.generator.layout;

/**
 * One line of a layout table.
 *
 * @param offset    where the field starts, as readers know it: {@code 8}, {@code end-1}, {@code data+0}
 * @param start     the byte offset from the struct start, or -1 when it is not fixed
 * @param size      the bytes it takes, e.g. {@code 4}, {@code 20}, {@code n*16}
 * @param bytes     the fixed byte count, or 0 for open-ended arrays
 * @param type      the type as the spec writes it, with the array part: {@code u8[20]}
 * @param name      the field's name; nested struct members are dotted ({@code geometry.heads})
 * @param cName     the C name of the last path element
 * @param condition the feature condition in spec syntax, "" when always present
 * @param depth     0 for top-level fields, 1 for members of a nested struct, ...
 * @param driverWritable a config field the driver may write (every other config field is read-only to it)
 */
public record LayoutRow(String offset, int start, String size, int bytes, String type, String name, String cName,
        String condition, String doc, int depth, boolean reserved, boolean driverWritable) {
}
