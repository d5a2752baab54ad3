/* ${marker} */
package ${j.pkg};

import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.device.FeatureSet;
import dev.avps.runtime.device.VirtioDevice;

/**
 * ${j.doc}
 * <p>The generated half of the ${j.name} backend (regenerated on every build; put logic in
 * {@code ${j.deviceClass()}}, which extends this class): features, queues and configuration from
 * the model, and {@link #handle} dispatching each chain to one handler per request format.
 */
public abstract class ${j.baseClass()} implements VirtioDevice {

    /** The VIRTIO device ID. */
    public static final int DEVICE_ID = ${j.id};
<#list j.queues as q>
    /** Queue family {@code ${q.name}}<#if q.condition??> (when ${q.condition})</#if><#if q.doc?has_content>: ${q.doc}<#else>.</#if> */
    public static final int ${q.constant} = ${q.ordinal};
</#list>

<#if j.config??>
    /** The configuration space the driver reads; setters count up its generation. */
    protected final ${j.config.className} config = new ${j.config.className}();
</#if>
    private final FeatureSet offered;
    private FeatureSet negotiated = FeatureSet.EMPTY;
<#list j.requests as r>
    private final ${r.className} ${r.field} = new ${r.className}();
</#list>

    /**
     * @param deviceFeatures the device bits to offer; VERSION_1 is added, and the set must satisfy
     *                       {@link ${j.featuresClass()}#problem}
     */
    protected ${j.baseClass()}(long deviceFeatures) {
        this(FeatureSet.ofLow(deviceFeatures));
    }

    /**
     * @param deviceFeatures the device bits to offer, 0..127; VERSION_1 is added, and the set must
     *                       satisfy {@link ${j.featuresClass()}#problem}
     */
    protected ${j.baseClass()}(FeatureSet deviceFeatures) {
        this.offered = ${j.featuresClass()}.require(deviceFeatures.with(${j.featuresClass()}.VERSION_1_BIT));
    }

    /** The offered bits 0..63 (see {@link #offeredFeatures()} for all of them). */
    @Override
    public long features() {
        return offered.low();
    }

    @Override
    public FeatureSet offeredFeatures() {
        return offered;
    }

    /** The negotiated bits 0..63, or 0 before negotiation (see {@link #negotiatedFeatures()}). */
    public long negotiated() {
        return negotiated.low();
    }

    /** The negotiated features, 0..127, or the empty set before negotiation. */
    public FeatureSet negotiatedFeatures() {
        return negotiated;
    }

    /** @throws IllegalArgumentException when the accepted bits break a {@code requires} rule */
    @Override
    public void featuresNegotiated(long features) {
        featuresNegotiated(FeatureSet.ofLow(features));
    }

    /** @throws IllegalArgumentException when the accepted bits break a {@code requires} rule */
    @Override
    public void featuresNegotiated(FeatureSet features) {
        negotiated = ${j.featuresClass()}.negotiate(offered, features);
    }

    /** Forgets the negotiated features; overriders call {@code super.reset()}. */
    @Override
    public void reset() {
        negotiated = FeatureSet.EMPTY;
    }
<#if j.config??>

    /** The configuration view. */
    public ${j.config.className} config() {
        return config;
    }
</#if>

    @Override
    public int configSize() {
        return <#if j.config??>${j.config.className}.SIZE<#else>0</#if>;
    }

    @Override
    public void readConfig(int offset, byte[] dst) {
<#if j.config??>
        config.read(offset, dst);
<#else>
        java.util.Arrays.fill(dst, (byte) 0);
</#if>
    }

    @Override
    public void writeConfig(int offset, byte[] src) {
<#if j.config??>
        config.write(offset, src);
</#if>
        configWritten(offset, src.length);
    }

    /** Called after the driver wrote {@code length} config bytes at {@code offset}. */
    protected void configWritten(int offset, int length) {
    }

    /** The features queue rules are evaluated with: the negotiated ones, or the offered ones before negotiation. */
    private FeatureSet activeFeatures() {
        return negotiated.isEmpty() ? offered : negotiated;
    }

    @Override
    public int queueCount() {
        FeatureSet f = activeFeatures();
        long n = 0;
<#list j.queues as q>
<#if q.conditionJava??>
        if (${q.conditionJava}) {
            n = Math.max(n, lastIndex${q?index}(f));
        }
<#else>
        n = Math.max(n, lastIndex${q?index}(f));
</#if>
</#list>
        return (int) n;
    }
<#list j.queues as q>

    /** One past the highest index of {@code ${q.name}}. */
    private long lastIndex${q?index}(FeatureSet f) {
<#if q.count??>
        long count = ${q.count};
        return count > 0 ? ${q.first} + (count - 1) * ${q.stride} + 1 : 0;
<#else>
        return ${q.first} + 1;
</#if>
    }
</#list>

    /** The queue family ({@code Q_...}) of a queue index, or -1. */
    public int queueFamily(int queue) {
        FeatureSet f = activeFeatures();
<#list j.queues as q>
        long k${q?index} = queue - (${q.first});
        if (<#if q.conditionJava??>${q.conditionJava} && </#if>k${q?index} >= 0 && k${q?index} % ${q.stride} == 0<#if q.count??>
                && k${q?index} / ${q.stride} < ${q.count}</#if>) {
            return ${q.constant};
        }
</#list>
        return -1;
    }

    /** The queue index of instance {@code instance} of a queue family. */
    public int queueIndex(int family, int instance) {
        FeatureSet f = activeFeatures();
        return switch (family) {
<#list j.queues as q>
            case ${q.constant} -> (int) (${q.first} + (long) instance * ${q.stride});
</#list>
            default -> throw new IllegalArgumentException("no queue family " + family + " (f=" + f + ")");
        };
    }

    @Override
    public final int handle(int queue, DescriptorChain chain) throws VirtqueueException {
        switch (queueFamily(queue)) {
<#list j.dispatch as d>
            case ${d.queue.constant}: {
<#if d.offset gte 0>
                if (chain.readableBytes() < ${d.offset + d.width}) {
                    return onMalformed(queue, chain);
                }
                ${d.javaType} selector = ${d.selector()};
<#list d.formats as r>
                if (<#list r.values as v>selector == ${v}<#sep> || </#list>) {
                    return ${r.handler}(${r.field}.wrap(queue, chain));
                }
</#list>
<#if d.direct??>
                return ${d.direct.handler}(${d.direct.field}.wrap(queue, chain));
<#else>
                return onUnknownRequest(queue, chain, selector);
</#if>
<#else>
                return ${d.direct.handler}(${d.direct.field}.wrap(queue, chain));
</#if>
            }
</#list>
            default:
                return onUnknownQueue(queue, chain);
        }
    }
<#list j.requests as r>

    /**
     * <#if r.doc?has_content>${r.doc}<#else>Handles ${r.name}.</#if>
<#list j.dispatch as d><#if d.unreachable?seq_contains(r)>
     * <p>Never called by {@link #handle}: queue {@code ${d.queue.name}} has no selector that tells
     * {@code ${r.name}} from {@code ${d.direct.name}}, which receives every chain; call it from
     * {@code ${d.direct.handler}} when the chain's shape says so.
</#if></#list>
     *
     * @return bytes written into the writable part (the used length), or {@link #DEFER}
     */
    protected abstract int ${r.handler}(${r.className} request) throws VirtqueueException;
</#list>

    /**
     * A chain whose selector matches no request format of its queue. The default completes it
     * with nothing written (used length 0), which drivers treat as an unsupported request.
     */
    protected int onUnknownRequest(int queue, DescriptorChain chain, long selector) throws VirtqueueException {
        return 0;
    }

    /** A chain on a queue index no request format belongs to; completed with nothing written by default. */
    protected int onUnknownQueue(int queue, DescriptorChain chain) throws VirtqueueException {
        return 0;
    }

    /** A chain too short to hold its selector; completed with nothing written by default. */
    protected int onMalformed(int queue, DescriptorChain chain) throws VirtqueueException {
        return 0;
    }
}
