/* ${marker} */
#ifndef ${guard}
#define ${guard}
/*
 * Byte-order loads and stores for the accessors of the device headers. They work byte by byte,
 * so they are correct on any host byte order and any alignment, and compilers turn them into
 * single loads (plus a byte swap on big-endian hosts).
 */
#include <stdint.h>

static inline uint8_t ${prefix}u8_load(const void *p)
{
	return *(const uint8_t *)p;
}

static inline void ${prefix}u8_store(void *p, uint8_t v)
{
	*(uint8_t *)p = v;
}
<#list [16, 32, 64] as bits>
<#assign n = bits / 8>

static inline uint${bits}_t ${prefix}le${bits}_load(const void *p)
{
	const uint8_t *b = (const uint8_t *)p;
	return <#list 0..<n as i>(uint${bits}_t)b[${i}] << ${i * 8}<#sep> | </#sep></#list>;
}

static inline void ${prefix}le${bits}_store(void *p, uint${bits}_t v)
{
	uint8_t *b = (uint8_t *)p;
<#list 0..<n as i>
	b[${i}] = (uint8_t)(v >> ${i * 8});
</#list>
}

static inline uint${bits}_t ${prefix}be${bits}_load(const void *p)
{
	const uint8_t *b = (const uint8_t *)p;
	return <#list 0..<n as i>(uint${bits}_t)b[${i}] << ${(n - 1 - i) * 8}<#sep> | </#sep></#list>;
}

static inline void ${prefix}be${bits}_store(void *p, uint${bits}_t v)
{
	uint8_t *b = (uint8_t *)p;
<#list 0..<n as i>
	b[${i}] = (uint8_t)(v >> ${(n - 1 - i) * 8});
</#list>
}
</#list>

#endif /* ${guard} */
