<#import "/common/c.ftl" as cf>
<#import "accessors.ftl" as acc>
/* ${marker} */
#ifndef ${c.guard}
#define ${c.guard}
<#if device.doc??>
${CComment.block(device.doc, "")}</#if>
/*
 * Portable C: no Linux headers. Multi-byte fields are stored in wire byte order; read and write
 * them through the _get/_set accessors. virtio16/32/64 fields are little-endian (VERSION_1).
 */
#include <stddef.h>
#include <stdint.h>
#include "${byteOrderHeader}"
<#if c.deviceId??>

<@cf.define c.deviceId/>
</#if>
<#if c.features?has_content>

/* Feature bits */
<#list c.features as f>
<@cf.define f/>
</#list>
</#if>
<@cf.sharedTypes c; s>
<@acc.accessors s/>

<@acc.asserts s/>
</@cf.sharedTypes>
<#list c.constants as k>

<@cf.define k/>
</#list>
<#list c.enums as e>

${CComment.block(e.doc, "")}<#t>
<#list e.values as v>
<@cf.define v/>
</#list>
</#list>
<#list c.structs as s>

<@cf.struct s/>
<@acc.accessors s/>

<@acc.asserts s/>
</#list>
<#list c.requests as s>

<@cf.requestPart s/>
<#if s.declared()>
<@acc.accessors s/>

<@acc.asserts s/>
</#if>
<@acc.tailAccessors s/>
</#list>

#endif /* ${c.guard} */
