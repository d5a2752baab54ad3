package dev.avps.dsl.validation;

import dev.avps.dsl.avps.Model;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.validation.Check;

/** Names as the generated languages will see them: no C keyword, Java keywords renamed with a warning. */
public class NameValidator extends ConcernValidator {

    @Check
    public void checkKeywordNames(EObject o) {
        EStructuralFeature nameFeature = o.eClass().getEStructuralFeature("name");
        if (nameFeature == null || o instanceof Model || !(o.eGet(nameFeature) instanceof String name)) {
            return;
        }
        EStructuralFeature cNameFeature = o.eClass().getEStructuralFeature("cName");
        String cName = cNameFeature == null ? null : (String) o.eGet(cNameFeature);
        if (Keywords.C.contains(cName != null ? cName : name)) {
            error("'" + (cName != null ? cName : name) + "' is a C keyword and would break the generated header",
                    o, cName != null ? cNameFeature : nameFeature, IssueCodes.C_KEYWORD, name, Keywords.escape(name));
        } else if (Keywords.JAVA.contains(name)) {
            warning("'" + name + "' is a Java keyword; generated Java will call it '" + Keywords.escape(name) + "'", o,
                    nameFeature, IssueCodes.JAVA_KEYWORD, name, Keywords.escape(name));
        }
    }
}
