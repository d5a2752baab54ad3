/* ${marker} */
package ${j.pkg};

/**
 * Feature bits of ${j.name} (device bits, then the transport bits of every device) and a
 * negotiation check that enforces the spec's {@code requires} rules.
 */
public final class ${j.featuresClass()} {
<#list j.features as f>

    /**
     * <#if f.doc?has_content>${f.doc}</#if><#if f.legacy> <b>Legacy</b> (pre-VERSION_1 interface only).</#if><#if f.deprecated> Deprecated.</#if><#if f.transport> Transport bit.</#if><#if f.requiresText??> Requires {@code ${f.requiresText}}.</#if>
     */
    public static final long ${f.name} = ${f.mask};
    /** The bit number of {@link #${f.name}}. */
    public static final int ${f.name}_BIT = ${f.bit};
<#list f.aliases as a>
    /** Another name of {@link #${f.name}}. */
    public static final long ${a} = ${f.name};
    /** The bit number of {@link #${a}}. */
    public static final int ${a}_BIT = ${f.name}_BIT;
</#list>
</#list>

    /** Every bit this device's spec defines, legacy ones included (no transport bits). */
    public static final long DEVICE_BITS = 0L<#list j.features?filter(f -> !f.transport) as f> | ${f.name}</#list>;

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
    public static String problem(long features) {
        if ((features & VERSION_1) == 0) {
            return "VERSION_1 (bit 32) is missing: the generated ${j.name} code implements the VERSION_1 interface only";
        }
<#list j.features?filter(f -> f.requires??) as f>
        if ((features & ${f.name}) != 0 && !(${f.requires})) {
            return "${f.name} (bit ${f.bit}) requires ${f.requiresText}; missing: " + missing(features, ${f.requiresMask});
        }
</#list>
        return null;
    }

    /** Returns {@code features} when valid, else throws with {@link #problem}'s message. */
    public static long require(long features) {
        String p = problem(features);
        if (p != null) {
            throw new IllegalArgumentException("${j.name}: refusing features 0x" + Long.toHexString(features) + ": " + p);
        }
        return features;
    }

    /** The bits both sides accept, checked with {@link #require}. */
    public static long negotiate(long offered, long requested) {
        return require(offered & requested);
    }

    static String missing(long features, long mask) {
        StringBuilder b = new StringBuilder();
        for (int bit = 0; bit < 64; bit++) {
            if ((mask & (1L << bit)) != 0 && (features & (1L << bit)) == 0) {
                b.append(b.length() == 0 ? "" : ", ").append(name(bit)).append(" (bit ").append(bit).append(')');
            }
        }
        return b.length() == 0 ? "nothing (a bit the rule excludes is present)" : b.toString();
    }
}
