<#import "/common/c.ftl" as cf>
/* ${marker} */
#ifndef ${c.guard}
#define ${c.guard}
/*
 * Every type declared outside a device in the specs. Device headers carry the ones they use
 * themselves; all definitions are guarded, so this header combines with them, and its macros
 * give way to Linux's own (virtio_ring.h, ...) when those come first.
 */
#include <linux/types.h>
#include <linux/virtio_types.h>
<#list c.constants as k>

<@cf.guardedDefine k/>
</#list>
<@cf.sharedTypes c/>

#endif /* ${c.guard} */
