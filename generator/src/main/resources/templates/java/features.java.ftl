/* ${marker} */
package ${j.pkg};

import dev.avps.runtime.device.FeatureSet;

/**
 * Feature bits of ${j.name} (device bits, then the transport bits of every device) and a
 * negotiation check that enforces the spec's {@code requires} rules. Bits 0..63 have a
 * {@code long} mask; bits 64..127 have no long mask (Java shifts a long modulo 64), so their
 * constant is a {@link FeatureSet}. Every bit has its number as {@code <NAME>_BIT}.
 */
public final class ${j.featuresClass()} {
<#list j.features as f>

    /**
     * <#if f.doc?has_content>${f.doc}</#if><#if f.legacy> <b>Legacy</b> (pre-VERSION_1 interface only).</#if><#if f.deprecated> Deprecated.</#if><#if f.transport> Transport bit.</#if><#if f.requiresText??> Requires {@code ${f.requiresText}}.</#if>
     */
    public static final ${f.javaType()} ${f.name} = ${f.mask};
    /** The bit number of {@link #${f.name}}. */
    public static final int ${f.name}_BIT = ${f.bit};
<#list f.aliases as a>
    /** Another name of {@link #${f.name}}. */
    public static final ${f.javaType()} ${a} = ${f.name};
    /** The bit number of {@link #${a}}. */
    public static final int ${a}_BIT = ${f.name}_BIT;
</#list>
</#list>

    /** Every bit below 64 this device's spec defines, legacy ones included (no transport bits). */
    public static final long DEVICE_BITS = 0L<#list j.features?filter(f -> !f.transport && !f.wide()) as f> | ${f.name}</#list>;

    /** Every bit this device's spec defines, 0..127, legacy ones included (no transport bits). */
    public static final FeatureSet DEVICE_SET = FeatureSet.of(<#list j.features?filter(f -> !f.transport) as f>${f.name}_BIT<#sep>, </#list>);

    private ${j.featuresClass()}() {
    }

    /** The spec name of a bit, or {@code bit <n>}. */
    public static String name(int bit) {
        return switch (bit) {
<#list j.distinctBits() as f>
            case ${f.bit} -> "${f.name}";
</#list>
            default -> "bit " + bit;
        };
    }

    /**
     * What is wrong with a feature set, or null when it is valid: VERSION_1 must be present (the
     * generated views read virtio-endian fields as little-endian) and every bit's {@code requires}
     * must hold.
     */
    public static String problem(FeatureSet features) {
        if (!features.has(VERSION_1_BIT)) {
            return "VERSION_1 (bit 32) is missing: the generated ${j.name} code implements the VERSION_1 interface only";
        }
<#list j.features?filter(f -> f.requires??) as f>
        if (features.has(${f.name}_BIT) && !(${f.requires})) {
            return "${f.name} (bit ${f.bit}) requires ${f.requiresText}; missing: " + missing(features, ${f.requiresMask});
        }
</#list>
        return null;
    }

    /** {@link #problem(FeatureSet)} for bits 0..63. */
    public static String problem(long features) {
        return problem(FeatureSet.ofLow(features));
    }

    /** Returns {@code features} when valid, else throws with {@link #problem}'s message. */
    public static FeatureSet require(FeatureSet features) {
        String p = problem(features);
        if (p != null) {
            throw new IllegalArgumentException("${j.name}: refusing features " + features + ": " + p);
        }
        return features;
    }

    /** {@link #require(FeatureSet)} for bits 0..63. */
    public static long require(long features) {
        return require(FeatureSet.ofLow(features)).low();
    }

    /** The bits both sides accept, checked with {@link #require}. */
    public static FeatureSet negotiate(FeatureSet offered, FeatureSet requested) {
        return require(offered.and(requested));
    }

    /** {@link #negotiate(FeatureSet, FeatureSet)} for bits 0..63. */
    public static long negotiate(long offered, long requested) {
        return require(offered & requested);
    }

    static String missing(FeatureSet features, FeatureSet rule) {
        StringBuilder b = new StringBuilder();
        for (int bit : rule.andNot(features).bits()) {
            b.append(b.length() == 0 ? "" : ", ").append(name(bit)).append(" (bit ").append(bit).append(')');
        }
        return b.length() == 0 ? "nothing (a bit the rule excludes is present)" : b.toString();
    }
}
