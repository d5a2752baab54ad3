package dev.avps.model;

import java.util.List;
import java.util.Optional;

/**
 * One field with its place in the bytes.
 *
 * <p>Where the field sits: with {@link OffsetBase#START} {@code offset} counts from the start of
 * the struct (or of the request part); after a run-time sized array ({@link OffsetBase#AFTER})
 * it counts from the end of {@code anchor}; after a flexible array ({@link OffsetBase#END}) the
 * field starts {@code offset} bytes before the end of the part (a request's trailing status byte).
 *
 * @param size       bytes the field occupies when its length is fixed; for a run-time sized or
 *                   flexible array, the bytes of one element times zero (its minimum)
 * @param elementSize bytes of one element (the field's size when it is no array)
 * @param align      natural alignment a C compiler would give the field
 * @param scalar     the scalar for scalar and enum fields, {@code null} for structs and unions
 * @param typeName   the struct, enum or scalar name as written in the spec
 * @param cName      the name C headers use (the field name unless the spec says otherwise)
 * @param access     READABLE or WRITABLE inside requests; DRIVER_WRITABLE for a config field the
 *                   driver may write; NONE elsewhere
 * @param condition  the feature condition under which the field exists, if any
 * @param nested     the layout of a struct-typed field
 * @param cases      the alternatives of a union field
 */
public record FieldLayout(
        String name,
        String cName,
        String doc,
        Kind kind,
        ScalarType scalar,
        String typeName,
        int offset,
        OffsetBase base,
        String anchor,
        int size,
        int elementSize,
        int align,
        ArrayKind arrayKind,
        ValueExpr arrayLength,
        Access access,
        boolean reserved,
        FeatureExpr condition,
        StructLayout nested,
        List<BitRange> bits,
        List<UnionCaseLayout> cases,
        String discriminator) {

    public enum Kind { SCALAR, ENUM, STRUCT, UNION }

    public enum OffsetBase { START, AFTER, END }

    public enum ArrayKind {
        /** Not an array. */
        NONE,
        /** Length known at build time. */
        FIXED,
        /** Length taken from another field at run time. */
        RUNTIME,
        /** Open-ended trailing array: as many elements as the buffer holds. */
        FLEXIBLE
    }

    /**
     * Who may put bytes into the field: the device reads ({@code READABLE}) or writes
     * ({@code WRITABLE}) a request field; {@code DRIVER_WRITABLE} is a config field the spec
     * lets the driver write (every other config field is read-only for the driver).
     */
    public enum Access { NONE, READABLE, WRITABLE, DRIVER_WRITABLE }

    /** Whether a driver write to this config field is allowed to land. */
    public boolean driverWritable() {
        return access == Access.DRIVER_WRITABLE;
    }

    public boolean isArray() {
        return arrayKind != ArrayKind.NONE;
    }

    /** Whether the field's byte count is known at build time (a struct ending in an open array is not). */
    public boolean isFixedSize() {
        return (arrayKind == ArrayKind.NONE || arrayKind == ArrayKind.FIXED) && !isOpenStruct();
    }

    /**
     * One struct whose last member is a run-time sized or flexible array ({@code u32 count;
     * item items[count];}): {@code size} is its fixed part, the rest is known at run time.
     */
    public boolean isOpenStruct() {
        return arrayKind == ArrayKind.NONE && nested != null && nested.variable();
    }

    /** Number of elements of a fixed array, 1 for a plain field. */
    public int count() {
        return arrayKind == ArrayKind.FIXED ? size / Math.max(1, elementSize) : 1;
    }

    public Optional<FeatureExpr> conditionOpt() {
        return Optional.ofNullable(condition);
    }

    /** A named bit range inside a scalar field; {@code msb == lsb} for a single bit. */
    public record BitRange(String name, int lsb, int msb, String doc) {
        public int width() {
            return msb - lsb + 1;
        }
    }

    /** One alternative of a union: the discriminator values that select it and its fields. */
    public record UnionCaseLayout(List<ValueExpr> labels, List<FieldLayout> fields, int size) {
    }
}
