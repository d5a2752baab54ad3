<#import "/common/c.ftl" as cf>
/* ${marker} */
#ifndef ${c.guard}
#define ${c.guard}
<#if device.doc??>
${CComment.block(device.doc, "")}</#if>
#include <linux/types.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_config.h>
#include <linux/virtio_types.h>
<#if c.deviceId??>

<@cf.define c.deviceId/>
</#if>
<#if c.features?has_content>

/* Feature bits */
<#list c.features?filter(f -> !f.legacy) as f>
<@cf.define f/>
</#list>
<#if c.features?filter(f -> f.legacy)?has_content>

#ifndef ${c.noLegacy}
<#list c.features?filter(f -> f.legacy) as f>
<@cf.define f/>
</#list>
#endif /* !${c.noLegacy} */
</#if>
</#if>
<@cf.sharedTypes c/>
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
</#list>
<#list c.requests as s>

<@cf.requestPart s/>
</#list>

#endif /* ${c.guard} */
