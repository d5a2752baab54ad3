package dev.avps.dsl.ide;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.avps.dsl.AvpsRuntimeModule;
import dev.avps.dsl.AvpsStandaloneSetup;
import org.eclipse.xtext.util.Modules2;

/** Registers the language with the editor services, for the language server. */
public class AvpsIdeSetup extends AvpsStandaloneSetup {

    @Override
    public Injector createInjector() {
        return Guice.createInjector(Modules2.mixin(new AvpsRuntimeModule(), new AvpsIdeModule()));
    }
}
