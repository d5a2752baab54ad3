package dev.avps.dsl;

import com.google.inject.Binder;
import com.google.inject.name.Names;
import dev.avps.dsl.conversion.AvpsValueConverters;
import dev.avps.dsl.formatting2.AvpsFormatter;
import dev.avps.dsl.index.AvpsResourceDescriptionStrategy;
import dev.avps.dsl.naming.AvpsQualifiedNameProvider;
import dev.avps.dsl.resource.AvpsResource;
import dev.avps.dsl.scoping.AvpsImportedNamespaceScopeProvider;
import dev.avps.dsl.scoping.PreludeGlobalScopeProvider;
import org.eclipse.xtext.conversion.IValueConverterService;
import org.eclipse.xtext.formatting2.IFormatter2;
import org.eclipse.xtext.naming.IQualifiedNameProvider;
import org.eclipse.xtext.resource.IDefaultResourceDescriptionStrategy;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.scoping.IGlobalScopeProvider;
import org.eclipse.xtext.scoping.IScopeProvider;
import org.eclipse.xtext.scoping.impl.AbstractDeclarativeScopeProvider;

/** Wires the language's own services into Xtext's defaults. */
public class AvpsRuntimeModule extends AbstractAvpsRuntimeModule {

    @Override
    public Class<? extends IValueConverterService> bindIValueConverterService() {
        return AvpsValueConverters.class;
    }

    /** Bounds nesting before parsing: see {@link AvpsResource}. */
    @Override
    public Class<? extends XtextResource> bindXtextResource() {
        return AvpsResource.class;
    }

    @Override
    public Class<? extends IQualifiedNameProvider> bindIQualifiedNameProvider() {
        return AvpsQualifiedNameProvider.class;
    }

    @Override
    public Class<? extends IGlobalScopeProvider> bindIGlobalScopeProvider() {
        return PreludeGlobalScopeProvider.class;
    }

    @Override
    public void configureIScopeProviderDelegate(Binder binder) {
        binder.bind(IScopeProvider.class).annotatedWith(Names.named(AbstractDeclarativeScopeProvider.NAMED_DELEGATE))
                .to(AvpsImportedNamespaceScopeProvider.class);
    }

    public Class<? extends IDefaultResourceDescriptionStrategy> bindIDefaultResourceDescriptionStrategy() {
        return AvpsResourceDescriptionStrategy.class;
    }

    public Class<? extends org.eclipse.xtext.linking.ILinkingDiagnosticMessageProvider> bindILinkingDiagnosticMessageProvider() {
        return dev.avps.dsl.linking.AvpsLinkingDiagnostics.class;
    }

    public Class<? extends IFormatter2> bindIFormatter2() {
        return AvpsFormatter.class;
    }
}
