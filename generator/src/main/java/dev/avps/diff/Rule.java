package dev.avps.diff;

/**
 * The named kinds of change between two versions of a device, each either compatible (a driver or
 * device built for the old version keeps working with the new one) or breaking. Like buf's
 * breaking-change rules, every finding names its rule, so a review can discuss one by name.
 */
public enum Rule {
    DEVICE_ADDED(false, "a device appeared"),
    DEVICE_REMOVED(true, "a device disappeared"),
    DEVICE_ID_CHANGED(true, "the device ID changed"),
    FEATURE_ADDED(false, "a new feature bit"),
    FEATURE_REMOVED(true, "a feature bit is gone"),
    FEATURE_RENUMBERED(true, "a feature kept its name but moved to another bit"),
    FEATURE_REQUIRES_ADDED(true, "a feature needs more features than before"),
    CONFIG_FIELD_APPENDED(false, "a config field added after every old one"),
    FIELD_ADDED_INSIDE(true, "a field added before the end of a struct, config or request part"),
    FIELD_REMOVED(true, "a field is gone"),
    FIELD_MOVED(true, "a field's offset changed"),
    FIELD_RESIZED(true, "a field's size or array length changed"),
    FIELD_RETYPED(true, "a field's type changed"),
    FIELD_CONDITION_CHANGED(true, "the features a field exists under changed"),
    STRUCT_ADDED(false, "a new struct"),
    STRUCT_REMOVED(true, "a struct is gone"),
    STRUCT_RESIZED(true, "a struct's size changed"),
    QUEUE_ADDED(false, "a queue added after the old ones"),
    QUEUE_REMOVED(true, "a queue is gone"),
    QUEUE_INDEX_MOVED(true, "a queue's index or count rule changed"),
    QUEUE_DIRECTION_CHANGED(true, "a queue's direction changed"),
    REQUEST_ADDED(false, "a new request format"),
    REQUEST_REMOVED(true, "a request format is gone"),
    REQUEST_SELECTOR_CHANGED(true, "a request is selected by other values"),
    ENUM_ADDED(false, "a new enum"),
    ENUM_REMOVED(true, "an enum is gone"),
    ENUM_VALUE_ADDED(false, "a new enum value"),
    ENUM_VALUE_REMOVED(true, "an enum value is gone"),
    ENUM_VALUE_CHANGED(true, "an enum value kept its name but changed its number"),
    CONSTANT_ADDED(false, "a new constant"),
    CONSTANT_REMOVED(true, "a constant is gone"),
    CONSTANT_CHANGED(true, "a constant's value changed"),
    REQUIREMENT_ADDED(false, "a new normative requirement"),
    REQUIREMENT_REMOVED(false, "a requirement was dropped (nothing that met it breaks)"),
    REQUIREMENT_LEVEL_RAISED(true, "MAY became SHOULD or MUST, or SHOULD became MUST"),
    REQUIREMENT_LEVEL_LOWERED(false, "a requirement got weaker"),
    REQUIREMENT_PARTY_CHANGED(true, "a requirement now binds the other party"),
    REQUIREMENT_CONDITION_CHANGED(true, "a requirement now applies under another feature condition"),
    REQUIREMENT_SECTION_CHANGED(false, "a requirement now cites another spec section"),
    REQUIREMENT_STATUS_CHANGED(false, "the checks that test a requirement, or why it is not checkable, changed"),
    DOC_CHANGED(false, "documentation text changed");

    private final boolean breaking;
    private final String meaning;

    Rule(boolean breaking, String meaning) {
        this.breaking = breaking;
        this.meaning = meaning;
    }

    public boolean breaking() {
        return breaking;
    }

    public String meaning() {
        return meaning;
    }
}
