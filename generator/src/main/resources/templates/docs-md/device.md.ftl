<!-- ${marker} -->
# ${doc.title}

<#list doc.paragraphs as p>
${p}

</#list>
| | |
|---|---|
| Device ID | ${doc.id} (`${doc.idMacro}`) |
| Spec version | ${doc.specVersion} |
| Status | ${doc.status} |
| Source | `${doc.source}` |
<#if doc.extended()>

Elements marked **(proposed)** are what the proposal in `${doc.source}` adds to the device.
</#if>

## Feature bits

<#if doc.features?has_content>
| Bit | Name | C macro | Description | Requires | Notes |
|---:|---|---|---|---|---|
<#list doc.features as f>
| ${f.bit} | ${md.code(f.name)}<#if doc.adds("feature", f.name)> **(proposed)**</#if><#list f.aliases as a> (alias ${md.code(a)})</#list> | ${md.code(f.macro)} | ${md.cell(f.doc)} | ${md.code(f.requires)} | ${f.flags()} |
</#list>
<#else>
The device defines no feature bits.
</#if>

## Device configuration layout

<#list doc.structs as s>
### <#if s.config>Configuration </#if>`${s.name}`<#if doc.adds("struct", s.name)> (proposed)</#if>

${md.cell(s.doc)}<#if s.doc?has_content> </#if>Size: ${s.sizeText}.

| Offset | Size | Type | Field | Present when | Description |
|---:|---:|---|---|---|---|
<#list s.rows as r>
| ${r.offset} | ${r.size} | `${r.type}` | ${md.code(r.name)}<#if r.reserved> (reserved)</#if><#if r.driverWritable> (driver-writable)</#if><#if s.config && r.depth == 0 && doc.adds("config", r.name)> **(proposed)**</#if> | ${md.code(r.condition)} | ${md.cell(r.doc)} |
</#list>

<#else>
The device has no configuration space and declares no structures.

</#list>
## Virtqueues

<#if doc.queues?has_content>
| Name | Index | Count | Direction | Present when | Description |
|---|---|---|---|---|---|
<#list doc.queues as q>
| ${md.code(q.name)}<#if doc.adds("queue", q.name)> **(proposed)**</#if><#if q.group?has_content> (group ${md.code(q.group)})</#if> | ${md.cell(q.indexes)} | ${md.code(q.count)} | ${q.direction} | ${md.code(q.condition)} | ${md.cell(q.doc)} |
</#list>
<#else>
The device declares no virtqueues.
</#if>

## Requests

<#list doc.requests as r>
### `${r.name}` on `${r.queue}`<#if doc.adds("request", r.name)> (proposed)</#if>

${md.cell(r.doc)}
<#if r.selector?has_content>

Selected by ${md.code(r.selector)}.
</#if>

<#list [["Device-readable part", r.readable], ["Device-writable part", r.writable]] as part>
<#if part[1]?has_content>
${part[0]}:

| Offset | Size | Type | Field |
|---:|---:|---|---|
<#list part[1] as f>
| ${f.offset} | ${f.size} | `${f.type}` | ${md.code(f.name)} |
</#list>

</#if>
</#list>
<#else>
The device declares no request formats.

</#list>
## Requirements

<#if doc.driverRequirements?has_content || doc.deviceRequirements?has_content>
<#if doc.driverRequirements?has_content>
### Driver requirements

<#list doc.driverRequirements as q>
- **${q.id}**<#if doc.adds("requirement", q.id)> (proposed)</#if>: The driver ${q.keyword()} ${md.cell(q.text)}<#if q.target?has_content> (on `${q.target}`)</#if><#if q.section?has_content> (section ${q.section})</#if>
</#list>

</#if>
<#if doc.deviceRequirements?has_content>
### Device requirements

${doc.requirementCountLine()}

| ID | Level | Section | Requirement | Status |
|---|---|---|---|---|
<#list doc.deviceRequirements as q>
| **${q.id}**<#if doc.adds("requirement", q.id)> (proposed)</#if> | ${q.keyword()} | ${q.section!"—"} | The device ${q.keyword()} ${md.cell(q.text)}<#if q.target?has_content> (on `${q.target}`)</#if> | <#if q.expectations?has_content>expect <#list q.expectations as e>${md.code(e.text)}<#sep>, </#sep></#list><#if q.checks?has_content>; </#if></#if><#if q.checks?has_content>checked by <#list q.checks as c>${md.code(c)}<#sep>, </#sep></#list><#elseif !q.expectations?has_content>${md.cell(q.statusText())}</#if> |
</#list>

</#if>
<#else>
The spec states no requirements for this device.

</#if>
<#if doc.initialization?has_content>
## Device initialization

<#list doc.initialization as s>
- ${s}
</#list>
</#if>
