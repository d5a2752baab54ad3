<#import "flyweight.ftl" as fw>
/* ${marker} */
package ${j.pkg};

<@fw.imports/>

/**
 * <#if s.doc?has_content>${s.doc}<#else>Struct ${s.specName}.</#if>
 * <p>A reusable view of {@code ${s.specName}} over a byte array or a descriptor chain part
 * (SBE-style flyweight: no allocation per access; virtio-endian fields are little-endian, VERSION_1).
 */
public final class ${s.className} {
<@fw.body s s.className/>
}
