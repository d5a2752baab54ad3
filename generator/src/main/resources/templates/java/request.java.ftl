<#import "flyweight.ftl" as fw>
/* ${marker} */
package ${j.pkg};

<@fw.imports/>

/**
 * <#if r.doc?has_content>${r.doc}<#else>Request ${r.name}.</#if>
 * <p>Request {@code ${r.name}} on queue {@code ${r.queue}}<#if r.selector??>, selected by
 * {@code ${r.selector}} in (<#list r.values as v>${v}<#sep>, </#list>)</#if>. A reusable view of one
 * descriptor chain: {@link #readable()} over the device-readable part, {@link #writable()} over
 * the device-writable part; fields after an open array are addressed from the end of their part.
 */
public final class ${r.className} {
<#if r.readable??>
    private final Readable readable = new Readable();
</#if>
<#if r.writable??>
    private final Writable writable = new Writable();
</#if>
    private int queue;
    private DescriptorChain chain;

    /** Points this view at a chain taken from queue {@code queue}. */
    public ${r.className} wrap(int queue, DescriptorChain chain) {
        this.queue = queue;
        this.chain = chain;
<#if r.readable??>
        readable.wrapReadable(chain, 0, chain.readableBytes());
</#if>
<#if r.writable??>
        writable.wrapWritable(chain, 0, chain.writableBytes());
</#if>
        return this;
    }

    /** The queue index the chain came from. */
    public int queue() {
        return queue;
    }

    public DescriptorChain chain() {
        return chain;
    }

    /** Whether both parts are at least as long as their fixed fields. */
    public boolean wellFormed() {
        return chain.readableBytes() >= <#if r.readable??>Readable.SIZE<#else>0</#if> && chain.writableBytes() >= <#if r.writable??>Writable.SIZE<#else>0</#if>;
    }

    /** Bytes of the writable part: the used length of a request that fills it. */
    public int writableBytes() {
        return (int) chain.writableBytes();
    }
<#if r.readable??>

    /** The device-readable part. */
    public Readable readable() {
        return readable;
    }

    /** ${r.readable.doc} */
    public static final class Readable {
<#assign body><@fw.body r.readable "Readable"/></#assign>
${body?replace("(?m)^(?=.)", "    ", "r")}    }
</#if>
<#if r.writable??>

    /** The device-writable part. */
    public Writable writable() {
        return writable;
    }

    /** ${r.writable.doc} */
    public static final class Writable {
<#assign body><@fw.body r.writable "Writable"/></#assign>
${body?replace("(?m)^(?=.)", "    ", "r")}    }
</#if>
}
