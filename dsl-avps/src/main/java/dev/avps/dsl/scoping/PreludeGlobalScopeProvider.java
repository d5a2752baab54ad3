package dev.avps.dsl.scoping;

import com.google.common.base.Predicate;
import com.google.common.collect.Iterables;
import com.google.inject.Inject;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.resource.IResourceDescription;
import org.eclipse.xtext.scoping.IScope;
import org.eclipse.xtext.scoping.impl.DefaultGlobalScopeProvider;
import org.eclipse.xtext.scoping.impl.SimpleScope;

/**
 * Adds the prelude to every global scope, whether or not the workspace or the command line
 * named it, so `requires VERSION_1` links in the CLI, the Maven plugin and the language server
 * alike.
 */
public class PreludeGlobalScopeProvider extends DefaultGlobalScopeProvider {

    @Inject
    private IResourceDescription.Manager descriptions;

    @Override
    protected IScope getScope(Resource resource, boolean ignoreCase, EClass type,
            Predicate<IEObjectDescription> filter) {
        IScope workspace = super.getScope(resource, ignoreCase, type, filter);
        if (resource == null || resource.getResourceSet() == null || Prelude.isPrelude(resource)) {
            return workspace;
        }
        Resource prelude = Prelude.load(resource.getResourceSet());
        Iterable<IEObjectDescription> exported = descriptions.getResourceDescription(prelude)
                .getExportedObjectsByType(type);
        if (filter != null) {
            exported = Iterables.filter(exported, filter);
        }
        return new SimpleScope(workspace, exported, ignoreCase);
    }
}
