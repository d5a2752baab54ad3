<#import "flyweight.ftl" as fw>
/* ${marker} */
package ${j.pkg};

<@fw.imports/>
import dev.avps.runtime.device.FeatureSet;

/**
 * <#if s.doc?has_content>${s.doc}<#else>The configuration space of ${j.name}.</#if>
 * <p>The device's configuration bytes with typed accessors. Every device-side setter counts up
 * {@link #generation()}, so a transport can report the config generation; driver writes through
 * {@link #write} do not, and land only in the fields the spec lets a driver write<#if s.writes?has_content>
 * (<#list s.writes as w>{@code ${w.specName}}<#sep>, </#list>)<#else> (none here)</#if>.
 */
public final class ${s.className} {
<@fw.body s s.className/>

    /** Driver writes that were (partly) dropped; only the transport's thread writes it. */
    private long ignoredWrites;

    public ${s.className}() {
        $wrapAt($ARRAY, new byte[SIZE], null, 0, SIZE, new int[1]);
    }

    /** Counts device-side changes of the configuration. */
    public int generation() {
        return $generation[0];
    }

    /** The live configuration bytes. */
    public byte[] bytes() {
        return $array;
    }

    /** Copies config bytes from {@code offset} into {@code dst}; bytes past the end read as zero. */
    public void read(int offset, byte[] dst) {
        java.util.Arrays.fill(dst, (byte) 0);
        if (offset >= 0 && offset < SIZE) {
            System.arraycopy($array, offset, dst, 0, Math.min(dst.length, SIZE - offset));
        }
    }

    /**
     * A driver write of config bytes under the features {@code f}: bytes of driver-writable fields
     * that exist under {@code f} land, every other byte (read-only fields, padding, past the end)
     * is dropped, and a write that had any byte dropped is counted in {@link #ignoredWrites()}.
     *
     * @return whether any byte landed
     */
    public boolean write(int offset, byte[] src, FeatureSet f) {
        boolean landed = false;
        boolean dropped = false;
        for (int i = 0; i < src.length; i++) {
            long at = (long) offset + i;
            if (driverWritable(at, f)) {
                $array[(int) at] = src[i];
                landed = true;
            } else {
                dropped = true;
            }
        }
        if (dropped) {
            ignoredWrites++;
        }
        return landed;
    }

    /** Driver writes that tried to change a byte the driver may not write (each counted once). */
    public long ignoredWrites() {
        return ignoredWrites;
    }

    /** Whether config byte {@code at} belongs to a field the driver may write under the features {@code f}. */
    public static boolean driverWritable(long at, FeatureSet f) {
<#if s.writes?has_content>
        return <#list s.writes as w>(at >= ${w.offset} && at < ${w.offset + w.size}<#if w.conditionJava??> && (${w.conditionJava})</#if>)<#sep>
                || </#list>;
<#else>
        return false;
</#if>
    }
}
