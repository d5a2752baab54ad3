<#import "/common/c.ftl" as cf>
/* ${marker} */
#ifndef ${c.guard}
#define ${c.guard}
<#if h.stem == "virtio_avps_shared">
/*
 * The types declared outside devices in packages that have no header of their own. Device
 * headers carry the ones they use themselves; all definitions are guarded, so this header
 * combines with them, and its macros give way to Linux's own when those come first.
 */
<#else>
/*
 * The ${h.stem}.h facts of the loaded specs. Device headers carry the shared types they use
 * themselves; every definition here is guarded so that both combine in one unit.
 */
</#if>
#include <linux/types.h>
<#if h.stem != "virtio_ids">
#include <linux/virtio_types.h>
</#if>
<#if h.bits?has_content>

/* Transport feature bits */
<#list h.bits?filter(b -> !b.legacy) as b>
<@cf.define b/>
</#list>
<#if h.bits?filter(b -> b.legacy)?has_content>

#ifndef ${h.noLegacy}
<#list h.bits?filter(b -> b.legacy) as b>
<@cf.define b/>
</#list>
#endif /* !${h.noLegacy} */
</#if>
</#if>
<#list c.constants as k>

<@cf.guardedDefine k/>
</#list>
<@cf.sharedTypes c/>
<#if h.deviceIds?has_content>

/* Loaded devices whose ID the list above does not name */
<#list h.deviceIds as d>
<@cf.guardedDefine d/>
</#list>
</#if>
<#if h.extras??>
<#include "/c-linux/" + h.extras>
</#if>

#endif /* ${c.guard} */
