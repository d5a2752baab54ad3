/*
 * Starting point for the ${j.name} backend, written once by avps (target java-skeleton) from
 * ${j.source}. This file is yours: avps never overwrites it. The generated half,
 * ${j.baseClass()}, is regenerated on every build.
 */
package ${j.pkg};

import dev.avps.runtime.VirtqueueException;

/** The ${j.name} device logic. */
public class ${j.deviceClass()} extends ${j.baseClass()} {

    public ${j.deviceClass()}() {
        super(0L);
    }
<#list j.requests as r>

    @Override
    protected int ${r.handler}(${r.className} request) throws VirtqueueException {
        // Serve ${r.name} here and return the number of bytes written into request.writable().
        return 0;
    }
</#list>
}
