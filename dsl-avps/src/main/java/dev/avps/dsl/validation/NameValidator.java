package dev.avps.dsl.validation;

import dev.avps.dsl.avps.Model;
import dev.avps.dsl.naming.JavaIdentifiers;
import java.util.regex.Pattern;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.validation.Check;

/**
 * Names as the generated languages will see them: every name must map to an identifier in C and
 * in Java (by the generator's own mapping, {@link JavaIdentifiers}), must not be a C keyword
 * (Java keywords are renamed, with a warning), and must be short enough for file names.
 */
public class NameValidator extends ConcernValidator {

    private static final Pattern C_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Check
    public void checkKeywordNames(EObject o) {
        EStructuralFeature nameFeature = o.eClass().getEStructuralFeature("name");
        if (nameFeature == null || o instanceof Model || !(o.eGet(nameFeature) instanceof String name)) {
            return;
        }
        EStructuralFeature cNameFeature = o.eClass().getEStructuralFeature("cName");
        String cName = cNameFeature == null ? null : (String) o.eGet(cNameFeature);
        if (name.length() > Limits.MAX_NAME_LENGTH) {
            error("name '" + name + "' has " + name.length() + " characters; at most " + Limits.MAX_NAME_LENGTH
                    + " fit the generated file and identifier names", o, nameFeature, IssueCodes.NAME_TOO_LONG);
            return;
        }
        String javaProblem = JavaIdentifiers.problem(name);
        if (javaProblem != null) {
            error("name '" + name + "' " + javaProblem + "; give it a letter or digit", o, nameFeature,
                    IssueCodes.BAD_NAME);
            return;
        }
        if (cName != null && (cName.length() > Limits.MAX_NAME_LENGTH || !C_IDENTIFIER.matcher(cName).matches())) {
            error("c-name \"" + cName + "\" is no C identifier (letters, digits and '_', not starting with a digit,"
                    + " at most " + Limits.MAX_NAME_LENGTH + " characters)", o, cNameFeature, IssueCodes.BAD_NAME);
            return;
        }
        if (Keywords.C.contains(cName != null ? cName : name)) {
            error("'" + (cName != null ? cName : name) + "' is a C keyword and would break the generated header",
                    o, cName != null ? cNameFeature : nameFeature, IssueCodes.C_KEYWORD, name, Keywords.escape(name));
        } else if (Keywords.JAVA.contains(name)) {
            warning("'" + name + "' is a Java keyword; generated Java will call it '" + Keywords.escape(name) + "'", o,
                    nameFeature, IssueCodes.JAVA_KEYWORD, name, Keywords.escape(name));
        }
    }

    /** Aliases become macros and Java constants like feature names, so they follow the same rule. */
    @Check
    public void checkAliases(dev.avps.dsl.avps.Feature f) {
        for (int i = 0; i < f.getAliases().size(); i++) {
            String alias = f.getAliases().get(i);
            String problem = alias.length() > Limits.MAX_NAME_LENGTH ? "is longer than " + Limits.MAX_NAME_LENGTH
                    + " characters" : JavaIdentifiers.problem(alias);
            if (problem != null) {
                error("alias '" + alias + "' " + problem, f, dev.avps.dsl.avps.AvpsPackage.Literals.FEATURE__ALIASES, i,
                        IssueCodes.BAD_NAME);
            }
        }
    }
}
