<#-- The body of a zero-allocation flyweight: wrap modes, byte-order helpers, one accessor per field. -->
<#macro body fw cls>
    /** Bytes of the fixed part: every conditional field present, open arrays empty. */
    public static final int SIZE = ${fw.size};
    /** Whether an open array makes the length known only at run time. */
    public static final boolean VARIABLE = ${fw.variable?c};
    /** Bytes at the end of the part that fields after an open array occupy. */
    static final int TAIL = ${fw.tail};
<#list fw.members?filter(m -> m.count gt 0) as m>
    /** Elements of {@code ${m.specName}}. */
    public static final int ${m.countConst()} = ${m.count};
</#list>

    static final int $ARRAY = 0;
    static final int $READABLE = 1;
    static final int $WRITABLE = 2;
    private static final VarHandle $LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle $LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle $LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private int $mode;
    private byte[] $array;
    private DescriptorChain $chain;
    private long $base;
    private long $limit;
    private int[] $generation;
<#list fw.children as c>
    private final ${c.className} ${c.field} = new ${c.className}();
</#list>

    /** Views {@code length} bytes of {@code array} from {@code offset}, for reading and writing. */
    public ${cls} wrap(byte[] array, int offset, int length) {
        return $wrapAt($ARRAY, array, null, offset, (long) offset + length, null);
    }

    /** Views a chain's device-readable bytes {@code [offset, limit)}: getters only. */
    public ${cls} wrapReadable(DescriptorChain chain, long offset, long limit) {
        return $wrapAt($READABLE, null, chain, offset, limit, null);
    }

    /** Views a chain's device-writable bytes {@code [offset, limit)}: setters only. */
    public ${cls} wrapWritable(DescriptorChain chain, long offset, long limit) {
        return $wrapAt($WRITABLE, null, chain, offset, limit, null);
    }

    ${cls} $wrapAt(int mode, byte[] array, DescriptorChain chain, long base, long limit, int[] generation) {
        this.$mode = mode;
        this.$array = array;
        this.$chain = chain;
        this.$base = base;
        this.$limit = limit;
        this.$generation = generation;
        return this;
    }

    /** Where the view starts (logical offset in its part or array). */
    public long offset() {
        return $base;
    }

    /** Where the view ends: fields after an open array count back from here. */
    public long limit() {
        return $limit;
    }

    /** Bytes the struct spans: its size, or through its run-time sized array as its count field says. */
    public long $length() {
        return ${fw.length};
    }
<#list fw.members as m>

<#assign where>offset ${m.where}<#if m.condition??>; present when ${m.condition} is negotiated</#if><#if m.enumClass??>; values in {@link ${m.enumClass}}</#if></#assign>
<#if m.kind == "SCALAR">
    /** <#if m.doc?has_content>${m.doc} </#if>(${m.specName}, ${where}) */
    public ${m.javaType} ${m.name}() {
        return $get${m.width}(${m.offset}, ${m.big?c});
    }

    /** Sets {@code ${m.specName}} (${where}). */
    public ${cls} ${m.name}(${m.javaType} value) {
        $put${m.width}(${m.offset}, ${m.big?c}, value);
        return this;
    }
<#list m.bits as b>

    /** <#if b.doc?has_content>${b.doc} </#if>(bits ${b.lsb}..${b.lsb + b.width - 1} of ${m.specName}) */
    public long ${b.name}() {
        return (<#if m.javaType == "int">(long) </#if>${m.name}() >>> ${b.lsb}) & ${b.mask};
    }
</#list>
<#else>
    /** Offset of <#if m.doc?has_content>${m.doc} </#if>(${m.specName}, ${where}). */
    public long ${m.name}Offset() {
        return ${m.offset};
    }

    /** Bytes {@code ${m.specName}} occupies. */
    public long ${m.name}Bytes() {
        return ${m.bytes};
    }
<#if m.kind == "ARRAY" || m.kind == "STRUCT_ARRAY">

    /** Elements of {@code ${m.specName}}. */
    public int ${m.name}Count() {
        return (int) (${m.name}Bytes() / ${m.elementSize});
    }
</#if>
<#if m.kind == "ARRAY">

    /** Element {@code index} of {@code ${m.specName}}. */
    public ${m.javaType} ${m.name}(int index) {
        return $get${m.width}(${m.name}Offset() + (long) Objects.checkIndex(index, ${m.name}Count()) * ${m.elementSize}, ${m.big?c});
    }

    /** Sets element {@code index} of {@code ${m.specName}}. */
    public ${cls} ${m.name}(int index, ${m.javaType} value) {
        $put${m.width}(${m.name}Offset() + (long) Objects.checkIndex(index, ${m.name}Count()) * ${m.elementSize}, ${m.big?c}, value);
        return this;
    }
<#elseif m.kind == "STRUCT">

    /** {@code ${m.specName}}, a reused view (${where}). */
    public ${m.structClass} ${m.name}() {
        long at = ${m.offset};
        return ${m.child}.$wrapAt($mode, $array, $chain, at, ${m.structClass}.VARIABLE ? $limit - TAIL : at + ${m.structClass}.SIZE, $generation);
    }
<#elseif m.kind == "STRUCT_ARRAY">

    /** Element {@code index} of {@code ${m.specName}}, a reused view. */
    public ${m.structClass} ${m.name}(int index) {
        long at = ${m.name}Offset() + (long) Objects.checkIndex(index, ${m.name}Count()) * ${m.elementSize};
        return ${m.child}.$wrapAt($mode, $array, $chain, at, at + ${m.elementSize}, $generation);
    }
</#if>
</#if>
</#list>

    private void $writing() {
        if ($mode == $READABLE) {
            throw new UnsupportedOperationException("the device-readable part of a chain cannot be written");
        }
        if ($generation != null) {
            $generation[0]++;
        }
    }

    private UnsupportedOperationException $writeOnly() {
        return new UnsupportedOperationException("the device-writable part of a chain cannot be read");
    }

    int $get1(long at, boolean big) {
        return switch ($mode) {
            case $ARRAY -> $array[(int) at] & 0xff;
            case $READABLE -> $chain.readByte(at) & 0xff;
            default -> throw $writeOnly();
        };
    }

    int $get2(long at, boolean big) {
        short v = switch ($mode) {
            case $ARRAY -> (short) $LE16.get($array, (int) at);
            case $READABLE -> $chain.readShortLE(at);
            default -> throw $writeOnly();
        };
        return (big ? Short.reverseBytes(v) : v) & 0xffff;
    }

    long $get4(long at, boolean big) {
        int v = switch ($mode) {
            case $ARRAY -> (int) $LE32.get($array, (int) at);
            case $READABLE -> $chain.readIntLE(at);
            default -> throw $writeOnly();
        };
        return (big ? Integer.reverseBytes(v) : v) & 0xffffffffL;
    }

    long $get8(long at, boolean big) {
        long v = switch ($mode) {
            case $ARRAY -> (long) $LE64.get($array, (int) at);
            case $READABLE -> $chain.readLongLE(at);
            default -> throw $writeOnly();
        };
        return big ? Long.reverseBytes(v) : v;
    }

    void $put1(long at, boolean big, int value) {
        $writing();
        if ($mode == $ARRAY) {
            $array[(int) at] = (byte) value;
        } else {
            $chain.writeByte(at, (byte) value);
        }
    }

    void $put2(long at, boolean big, int value) {
        $writing();
        short v = big ? Short.reverseBytes((short) value) : (short) value;
        if ($mode == $ARRAY) {
            $LE16.set($array, (int) at, v);
        } else {
            $chain.writeShortLE(at, v);
        }
    }

    void $put4(long at, boolean big, long value) {
        $writing();
        int v = big ? Integer.reverseBytes((int) value) : (int) value;
        if ($mode == $ARRAY) {
            $LE32.set($array, (int) at, v);
        } else {
            $chain.writeIntLE(at, v);
        }
    }

    void $put8(long at, boolean big, long value) {
        $writing();
        long v = big ? Long.reverseBytes(value) : value;
        if ($mode == $ARRAY) {
            $LE64.set($array, (int) at, v);
        } else {
            $chain.writeLongLE(at, v);
        }
    }
</#macro>
<#macro imports>
import dev.avps.runtime.DescriptorChain;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;
</#macro>
