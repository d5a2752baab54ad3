<#import "/common/c.ftl" as cf>
<#import "accessors.ftl" as acc>
/* ${marker} */
#ifndef ${c.guard}
#define ${c.guard}
/*
 * Every type declared outside a device in the specs. Device headers carry the ones they use
 * themselves, behind the same guards, so this header combines with them.
 */
#include <stddef.h>
#include <stdint.h>
#include "${byteOrderHeader}"
<#list c.constants as k>

<@cf.define k/>
</#list>
<@cf.sharedTypes c; s>
<@acc.accessors s/>

<@acc.asserts s/>
</@cf.sharedTypes>

#endif /* ${c.guard} */
