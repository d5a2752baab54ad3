<#import "flyweight.ftl" as fw>
/* ${marker} */
package ${j.pkg};

<@fw.imports/>

/**
 * <#if s.doc?has_content>${s.doc}<#else>The configuration space of ${j.name}.</#if>
 * <p>The device's configuration bytes with typed accessors. Every device-side setter counts up
 * {@link #generation()}, so a transport can report the config generation; driver writes through
 * {@link #write} do not.
 */
public final class ${s.className} {
<@fw.body s s.className/>

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

    /** A driver write of config bytes; bytes past the end are ignored. */
    public void write(int offset, byte[] src) {
        if (offset >= 0 && offset < SIZE) {
            System.arraycopy(src, 0, $array, offset, Math.min(src.length, SIZE - offset));
        }
    }
}
