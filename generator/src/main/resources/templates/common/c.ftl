<#-- Printing macros shared by the C targets. They only lay out text: names, order and types come
     from CHeaderView (see TEMPLATES.md). -->
<#macro define m indent="">
${CComment.block(m.doc, indent)}${indent}#define ${m.name}	${m.value}
</#macro>
<#macro guardedDefine m>
${CComment.block(m.doc, "")}#ifndef ${m.name}
#define ${m.name}	${m.value}
#endif
</#macro>
<#macro member m indent>
<#if m.kind == "UNION">
${CComment.block(m.comment(), indent)}${indent}union {
<#list m.members as alt><@member alt indent + "\t"/></#list>
${indent}} ${m.name};
<#elseif m.kind == "GROUP">
${CComment.block(m.comment(), indent)}${indent}struct {
<#list m.members as f><@member f indent + "\t"/></#list>
${indent}};
<#elseif m.kind == "FLEX_ONLY" && target == "c-linux">
${CComment.block(m.comment(), indent)}${indent}__DECLARE_FLEX_ARRAY(${m.type}, ${m.name});
<#elseif m.kind == "FLEX_ONLY">
${CComment.block(m.comment(), indent)}${indent}struct { } ${m.name}_empty_; /* C needs a member before a flexible array (GNU C empty struct) */
${indent}${m.type} ${m.name}${m.suffix};
<#else>
${CComment.block(m.comment(), indent)}${indent}${m.type} ${m.name}${m.suffix};
</#if>
</#macro>
<#macro struct s>
${CComment.block(s.doc, "")}struct ${s.name} {
<#list s.members as m><@member m "\t"/></#list>
}<#if s.packed> __attribute__((packed))</#if>;
<#list s.bitMacros as b>
<@define b/>
</#list>
</#macro>
<#-- Shared types a header carries: enums' macros and structs, each guarded so that several
     headers (and Linux's own) can define them. -->
<#macro sharedTypes c>
<#list c.sharedEnums as e>

${CComment.block(e.doc, "")}<#t>
<#list e.values as v>
<@guardedDefine v/>
</#list>
</#list>
<#list c.sharedStructs as g>

#ifndef ${g.guard}
#define ${g.guard}
<@struct g.struct/>
<#nested g.struct>
#endif /* ${g.guard} */
</#list>
</#macro>
<#macro requestPart s>
<#if s.declared()>
<@struct s/>
<#else>
${CComment.block(s.doc + " C cannot declare this part as a struct: it starts with an open-ended array.", "")}<#t>
</#if>
<#if s.trailing?has_content || !s.declared()>
/*
 * Layout of ${s.name}:
<#list s.outline as line>
 *   ${line}
</#list>
 */
</#if>
<#list s.trailing as m>
<@define m/>
</#list>
</#macro>
