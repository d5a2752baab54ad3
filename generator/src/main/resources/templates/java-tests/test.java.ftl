/* ${marker} */
package ${j.pkg};

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.Completion;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.device.FeatureSet;
import dev.avps.runtime.transport.LoopbackTransport;
import org.junit.jupiter.api.Test;

/**
 * The generated ${j.name} code against the model: config bytes at the model's offsets, the
 * feature rules, and each request format as a descriptor chain on the loopback transport.
<#list t.skipped as s>
 * Not exercised: ${s}.
</#list>
 */
class ${t.testClass} {

    /** Device bits and VERSION_1, every {@code requires} satisfied. */
    static final FeatureSet VALID = ${t.valid};
    /** A set with a missing dependency (${t.invalidNames}). */
    static final FeatureSet INVALID = ${t.invalid};

    /** Records which handler saw which chain and writes a known value back. */
    static final class Recorder extends ${j.baseClass()} {
        String last;
        long selector = -1;

        Recorder() {
            super(VALID.and(${j.featuresClass()}.DEVICE_SET));
        }
<#if j.config??>

        int configWrites;

        @Override
        protected void configWritten(int offset, int length) {
            configWrites++;
        }
</#if>
<#list j.requests as r>
<#assign c = t.requests?filter(x -> x.name == r.name)>

        @Override
        protected int ${r.handler}(${r.className} request) throws VirtqueueException {
            last = "${r.name}";
<#if c?has_content>
<#assign k = c?first>
<#if k.selectorPath??>
            selector = request.readable().${k.selectorPath}();
</#if>
<#if k.responsePath??>
            request.writable().${k.responsePath}(${k.responseValue});
</#if>
</#if>
            return request.writableBytes();
        }
</#list>
<#if t.unknown??>

        @Override
        protected int onUnknownRequest(int queue, DescriptorChain chain, long selector) throws VirtqueueException {
            last = "(unknown)";
            this.selector = selector;
            return super.onUnknownRequest(queue, chain, selector);
        }
</#if>
    }

    static Recorder device() {
        Recorder d = new Recorder();
        d.featuresNegotiated(VALID);
<#list t.queueFields as f>
        d.config().${f};
</#list>
        return d;
    }
<#if t.config?has_content>

    @Test
    void configFieldsSitAtTheModelsOffsets() {
        Recorder d = device();
        ${j.config.className} c = d.config();
        int generation = c.generation();
<#list t.config as k>
        c.${k.set};
        assertEquals(${k.value}, c.${k.get});
        assertBytes(d, ${k.offset}, new byte[] {${k.bytes}});
</#list>
        assertTrue(c.generation() > generation, "device-side setters count the config generation up");
        assertEquals(${j.config.className}.SIZE, d.configSize());
    }

    private static void assertBytes(Recorder d, int offset, byte[] expected) {
        byte[] actual = new byte[expected.length];
        d.readConfig(offset, actual);
        assertArrayEquals(expected, actual, "config bytes at offset " + offset);
    }
</#if>
<#if j.config??>

    /**
     * Every config byte, written alone by the driver: it lands only inside a field the model marks
     * driver-writable<#if j.config.writes?has_content> (<#list j.config.writes as w>${w.specName}<#if w.condition??> when ${w.condition}</#if><#sep>, </#list>)</#if>
     * and present under the negotiated features; anywhere else nothing changes and the write is
     * counted as ignored. Run with every feature and with VERSION_1 alone.
     */
    @Test
    void driverWritesLandOnlyInDriverWritableFields() {
        assertDriverWrites(device(), VALID);
        Recorder bare = new Recorder();
        bare.featuresNegotiated(${j.featuresClass()}.VERSION_1);
        assertDriverWrites(bare, FeatureSet.ofLow(${j.featuresClass()}.VERSION_1));
    }

    /** The model's driver-writable bytes, as printed from the layout. */
    private static boolean modelWritable(int at, FeatureSet f) {
<#if j.config.writes?has_content>
        return <#list j.config.writes as w>(at >= ${w.offset} && at < ${w.offset + w.size}<#if w.conditionJava??> && (${w.conditionJava})</#if>)<#sep>
                || </#list>;
<#else>
        return false;
</#if>
    }

    private static void assertDriverWrites(Recorder d, FeatureSet features) {
        int size = d.configSize();
        for (int at = 0; at < size; at++) {
            byte[] before = new byte[size];
            d.readConfig(0, before);
            long ignored = d.config().ignoredWrites();
            int notified = d.configWrites;
            d.writeConfig(at, new byte[] {(byte) ~before[at]});
            byte[] after = new byte[size];
            d.readConfig(0, after);
            byte[] expected = before.clone();
            if (modelWritable(at, features)) {
                expected[at] = (byte) ~before[at];
                assertEquals(ignored, d.config().ignoredWrites(), "a write to driver-writable byte " + at + " is not ignored");
                assertEquals(notified + 1, d.configWrites, "configWritten after byte " + at + " landed");
            } else {
                assertEquals(ignored + 1, d.config().ignoredWrites(), "the write to byte " + at + " is counted as ignored");
                assertEquals(notified, d.configWrites, "no configWritten for the dropped byte " + at);
            }
            assertArrayEquals(expected, after, "config after a driver write of byte " + at);
        }
        // A write running past the end (a frontend's SET_CONFIG of any range) changes nothing there.
        long ignored = d.config().ignoredWrites();
        d.writeConfig(size, new byte[] {1, 2, 3});
        assertEquals(ignored + 1, d.config().ignoredWrites());
    }
</#if>

    /** Each constant is exactly its own bit: no two bits share a constant (a long shifted by 64 would alias bit 0). */
    @Test
    void everyFeatureConstantIsItsOwnBit() {
        java.util.Set<FeatureSet> seen = new java.util.HashSet<>();
<#list j.features as f>
        assertEquals(FeatureSet.of(${f.bit}), <#if f.wide()>${j.featuresClass()}.${f.name}<#else>FeatureSet.ofLow(${j.featuresClass()}.${f.name})</#if>, "${f.name}");
        assertEquals(${f.bit}, ${j.featuresClass()}.${f.name}_BIT, "${f.name}_BIT");
</#list>
<#list j.distinctBits() as f>
        assertTrue(seen.add(<#if f.wide()>${j.featuresClass()}.${f.name}<#else>FeatureSet.ofLow(${j.featuresClass()}.${f.name})</#if>), "${f.name} shares its constant");
</#list>
        assertEquals(${j.distinctBits()?size}, seen.size());
    }

    @Test
    void featureNegotiationEnforcesRequires() {
        assertNull(${j.featuresClass()}.problem(VALID));
        Recorder d = device();
        assertEquals(VALID, d.negotiatedFeatures());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ${j.featuresClass()}.require(INVALID));
        assertTrue(e.getMessage().contains("${t.invalidNames}"), e.getMessage());
    }
<#if t.unknown??>

    @Test
    void anUnknownSelectorGoesToOnUnknownRequest() throws Exception {
        Recorder d = device();
        LoopbackTransport t = LoopbackTransport.create(${j.featuresClass()}.VERSION_1, 8, 0, 1 << 16, false);
        byte[] selector = {${t.unknown.bytes}};
        t.memory().write(t.dataBase() + ${t.unknown.offset}, selector, 0, selector.length);
        t.driver().addOut(t.dataBase(), ${t.unknown.readable}).addIn(t.dataBase() + 0x8000, 16).submit(1);
        DescriptorChain chain = t.device().newChain();
        assertTrue(t.device().pop(chain));
        assertEquals(0, d.handle(d.queueIndex(${j.baseClass()}.${t.unknown.queue}, 0), chain), "completed, nothing written");
        assertEquals("(unknown)", d.last);
        assertEquals(${t.unknown.value}, d.selector);
    }
</#if>
<#list t.requests as k>

    @Test
    void ${k.handler}Handles${k.name?replace("_", "")?cap_first}() throws Exception {
        Recorder d = device();
        LoopbackTransport t = LoopbackTransport.create(${j.featuresClass()}.VERSION_1, 8, 0, 1 << 16, false);
        long rd = t.dataBase();
        long wr = rd + 0x8000;
<#if k.selectorBytes??>
        byte[] selector = {${k.selectorBytes}};
        t.memory().write(rd + ${k.selectorOffset}, selector, 0, selector.length);
</#if>
        t.driver()<#if k.readable gt 0>.addOut(rd, ${k.readable})</#if><#if k.writable gt 0>.addIn(wr, ${k.writable})</#if>.submit(1);
        DescriptorChain chain = t.device().newChain();
        assertTrue(t.device().pop(chain));
        int used = d.handle(d.queueIndex(${j.baseClass()}.${k.queue}, 0), chain);
        t.device().addUsed(chain, used);
        t.device().flushUsed();
        Completion done = new Completion();
        assertTrue(t.driver().pollUsed(done));
        assertEquals("${k.name}", d.last);
        assertEquals(${k.writable}, done.length());
<#if k.selectorValue??>
        assertEquals(${k.selectorValue}, d.selector);
</#if>
<#if k.responseBytes??>
        byte[] expected = {${k.responseBytes}};
        byte[] written = new byte[expected.length];
        t.memory().read(wr + ${k.responseOffset}, written, 0, written.length);
        assertArrayEquals(expected, written);
</#if>
    }
</#list>
}
