<!-- ${marker} -->
# ${md.cell(platform.title)}

<#list platform.paragraphs as p>
${md.cell(p)}

</#list>
| | |
|---|---|
| Version | ${md.cell(platform.version)} |
| Status | ${platform.status} |
| Transports | ${md.cell(platform.transports)} |
| Source | ${md.code(platform.source)} |

## Devices

<#if platform.devices?has_content>
| Device | ID | Level | MUST offer | MUST NOT offer | SHOULD / MAY offer | Config | Queues | Queue size |
|---|---:|---|---|---|---|---|---|---|
<#list platform.devices as d>
| <#if d.page??>[${md.cell(d.name)}](${d.page}.md)<#else>${md.cell(d.name)}</#if> | ${d.id} | ${d.level}<#list d.cells() as c> | <@cell c/></#list> |
</#list>
<#else>
The platform lists no devices.
</#if>

## Statements

| ID | Level | Statement | Checked by |
|---|---|---|---|
<#list platform.statements as s>
| ${md.code(s.id)} | ${s.keyword} | ${md.cell(s.sentence)}<#if s.doc?has_content> — ${md.cell(s.doc)}</#if> | ${md.cell(s.checked)} |
</#list>
<#-- A matrix cell: its entries separated by commas, a dash when there are none. -->
<#macro cell items><#if items?has_content><#list items as i>${md.cell(i)}<#sep>, </#sep></#list><#else>—</#if></#macro>
