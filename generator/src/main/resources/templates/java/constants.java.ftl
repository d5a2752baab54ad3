/* ${marker} */
package ${j.pkg};

/** Named constants of ${j.name}. */
public final class ${j.constantsClass()} {
<#list j.constants as c>
<#if c.doc?has_content>
    /** ${c.doc} */
</#if>
    public static final ${c.javaType} ${c.name} = ${c.value};
</#list>

    private ${j.constantsClass()}() {
    }
}
