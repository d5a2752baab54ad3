<!-- ${marker} -->
# Rules every device honours

The device-side rules of "Basic Facilities of a Virtio Device" and "Reserved Feature Bits" that
every backend follows whatever its type.

${table.countLine()}

| ID | Level | Section | Requirement | Status |
|---|---|---|---|---|
<#list table.rows as q>
| **${q.id}** | ${q.keyword()} | ${q.section!"—"} | The device ${q.keyword()} ${md.cell(q.text)}<#if q.target?has_content> (on `${q.target}`)</#if> | <#if q.expectations?has_content>expect <#list q.expectations as e>${md.code(e.text)}<#sep>, </#sep></#list><#if q.checks?has_content>; </#if></#if><#if q.checks?has_content>checked by <#list q.checks as c>${md.code(c)}<#sep>, </#sep></#list><#elseif !q.expectations?has_content>${md.cell(q.statusText())}</#if> |
</#list>
