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
