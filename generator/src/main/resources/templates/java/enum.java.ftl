/* ${marker} */
package ${j.pkg};

/**
 * <#if e.doc?has_content>${e.doc}<#else>Values of ${e.className}.</#if>
 * <p>Wire values as {@code ${e.javaType}} constants (unsigned, widened).
 */
public final class ${e.className} {
<#list e.literals as l>
<#if l.doc?has_content>
    /** ${l.doc} */
</#if>
    public static final ${l.javaType} ${l.name} = ${l.value};
</#list>

    private ${e.className}() {
    }

    /** The spec name of a value, or null. */
    public static String name(${e.javaType} value) {
<#list e.literals as l>
        if (value == ${l.name}) {
            return "${l.name}";
        }
</#list>
        return null;
    }
}
