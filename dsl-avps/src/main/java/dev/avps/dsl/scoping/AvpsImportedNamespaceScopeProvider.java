package dev.avps.dsl.scoping;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.scoping.impl.ImportNormalizer;
import org.eclipse.xtext.scoping.impl.ImportedNamespaceAwareLocalScopeProvider;

/** Imports the prelude's packages implicitly, as Java does with java.lang. */
public class AvpsImportedNamespaceScopeProvider extends ImportedNamespaceAwareLocalScopeProvider {

    @Override
    protected List<ImportNormalizer> getImplicitImports(boolean ignoreCase) {
        List<ImportNormalizer> out = new ArrayList<>();
        for (String pkg : Prelude.IMPLICIT_IMPORTS) {
            out.add(new ImportNormalizer(QualifiedName.create(pkg.split("\\.")), true, ignoreCase));
        }
        return out;
    }
}
