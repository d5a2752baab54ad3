package dev.avps.dsl.validation;

/** Codes the validator attaches to diagnostics; quick fixes and tests key on them. */
public final class IssueCodes {

    private static final String P = "dev.avps.";

    public static final String DUPLICATE_DEVICE_ID = P + "duplicateDeviceId";
    public static final String DUPLICATE_BIT = P + "duplicateBit";
    public static final String DUPLICATE_ALIAS = P + "duplicateAlias";
    public static final String BIT_OUT_OF_RANGE = P + "bitOutOfRange";
    public static final String FOREIGN_FEATURE = P + "foreignFeature";
    public static final String FEATURE_CYCLE = P + "featureCycle";
    public static final String ENUM_COLLISION = P + "enumCollision";
    public static final String VALUE_OVERFLOW = P + "valueOverflow";
    public static final String SIZE_MISMATCH = P + "sizeMismatch";
    public static final String READABLE_AFTER_WRITABLE = P + "readableAfterWritable";
    public static final String MISSING_ACCESS = P + "missingAccess";
    public static final String ACCESS_OUTSIDE_REQUEST = P + "accessOutsideRequest";
    public static final String C_KEYWORD = P + "cKeyword";
    public static final String JAVA_KEYWORD = P + "javaKeyword";
    public static final String MISSING_DOC = P + "missingDoc";
    public static final String MISPLACED = P + "misplaced";
    public static final String DUPLICATE_BLOCK = P + "duplicateBlock";
    public static final String BAD_BITFIELD = P + "badBitfield";
    public static final String BAD_DISCRIMINATOR = P + "badDiscriminator";
    public static final String NOT_CONSTANT = P + "notConstant";
    public static final String LENGTH_FIELD_ORDER = P + "lengthFieldOrder";
    public static final String DEVICE_ID_RANGE = P + "deviceIdRange";
    public static final String AMBIGUOUS_REQUEST = P + "ambiguousRequest";
    public static final String MASKED_VALUE = P + "maskedValue";
    public static final String DRIVER_WRITABLE_OUTSIDE_CONFIG = P + "driverWritableOutsideConfig";
    public static final String EXTENSION_COLLISION = P + "extensionCollision";
    public static final String EXTENSION_MISMATCH = P + "extensionMismatch";

    public static final String NESTING_TOO_DEEP = P + "nestingTooDeep";
    public static final String FILE_TOO_LARGE = P + "fileTooLarge";
    public static final String NUMBER_TOO_LONG = P + "numberTooLong";
    public static final String BAD_NAME = P + "badName";
    public static final String NAME_TOO_LONG = P + "nameTooLong";
    /** Two names of one scope that a generator maps to the same identifier. */
    public static final String NAME_CLASH = P + "nameClash";
    public static final String BAD_VALUE = P + "badValue";
    public static final String TOO_LARGE = P + "tooLarge";
    public static final String QUEUE_RANGE = P + "queueRange";
    public static final String UNRESOLVED_IMPORT = P + "unresolvedImport";
    public static final String DUPLICATE_ELEMENT = P + "duplicateElement";
    public static final String REQUIREMENT_UNCITED = P + "requirementUncited";
    public static final String BAD_SECTION = P + "badSection";
    public static final String BAD_CHECK = P + "badCheck";
    /** An inline check ({@code expect config ...}) a conformance runner could not evaluate. */
    public static final String BAD_EXPECTATION = P + "badExpectation";
    /** A platform that names something the catalog does not have, or says two things that cannot both hold. */
    public static final String BAD_PLATFORM = P + "badPlatform";
    /** A bug of ours surfaced while checking a spec; the CLI exits 3 on it. */
    public static final String INTERNAL = P + "internal";

    private IssueCodes() {
    }
}
