<#-- Accessors and layout checks of one struct, for the portable headers. -->
<#macro accessors s>
<#list s.accessors as a>

static inline ${a.type} ${a.function}_get(const struct ${s.name} *s<#if a.indexed>, size_t i</#if>)
{
	return ${a.loader}_load((const uint8_t *)s + ${a.offset}<#if a.indexed> + i * ${a.stride}</#if>);
}

static inline void ${a.function}_set(struct ${s.name} *s, <#if a.indexed>size_t i, </#if>${a.type} v)
{
	${a.loader}_store((uint8_t *)s + ${a.offset}<#if a.indexed> + i * ${a.stride}</#if>, v);
}
</#list>
</#macro>
<#macro tailAccessors s>
<#list s.tailAccessors as a>

/* The field starts ${a.offset} byte(s) before the end of the part; len is the part's length. */
static inline ${a.type} ${a.function}_get(const void *part, size_t len)
{
	return ${a.loader}_load((const uint8_t *)part + len - ${a.offset});
}

static inline void ${a.function}_set(void *part, size_t len, ${a.type} v)
{
	${a.loader}_store((uint8_t *)part + len - ${a.offset}, v);
}
</#list>
</#macro>
<#macro asserts s>
_Static_assert(sizeof(struct ${s.name}) == ${s.size}, "size of ${s.name}");
<#list s.checked as m>
_Static_assert(offsetof(struct ${s.name}, ${m.name}) == ${m.offset}, "offset of ${s.name}.${m.name}");
</#list>
</#macro>
