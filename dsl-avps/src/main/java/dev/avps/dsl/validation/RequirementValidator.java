package dev.avps.dsl.validation;

import static dev.avps.dsl.avps.AvpsPackage.Literals.CHECK_REF__NAME;
import static dev.avps.dsl.avps.AvpsPackage.Literals.REQUIREMENT__NAME;
import static dev.avps.dsl.avps.AvpsPackage.Literals.REQUIREMENT__REASON;
import static dev.avps.dsl.avps.AvpsPackage.Literals.REQUIREMENT__SECTION;

import dev.avps.dsl.avps.CheckRef;
import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.DeviceExtension;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.avps.Party;
import dev.avps.dsl.avps.Requirement;
import dev.avps.dsl.avps.SpecStatus;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.validation.Check;

/**
 * Requirements as data: a section number that reads like the spec's, check names a conformance
 * runner can match, and a warning where a device-side statement of a standard chapter says
 * neither where it comes from nor how it is tested.
 */
public class RequirementValidator extends ConcernValidator {

    /** "5.2.6.2": numbers joined by dots, as the spec numbers its sections. */
    private static final Pattern SECTION = Pattern.compile("[1-9][0-9]*(\\.[1-9][0-9]*)*");

    /** Check names are matched by name with the runner's checks; lower_snake keeps them portable. */
    private static final Pattern CHECK = Pattern.compile("[a-z][a-z0-9_]*");

    @Check
    public void checkSection(Requirement r) {
        if (r.getSection() != null && !SECTION.matcher(r.getSection()).matches()) {
            error("section '" + r.getSection() + "' is not a spec section number such as \"5.2.6.2\"", r,
                    REQUIREMENT__SECTION, IssueCodes.BAD_SECTION);
        }
    }

    @Check
    public void checkChecks(Requirement r) {
        Set<String> seen = new HashSet<>();
        for (CheckRef c : r.getChecks()) {
            if (c.getName() == null) {
                continue;
            }
            if (!CHECK.matcher(c.getName()).matches()) {
                error("check name '" + c.getName() + "' must be lower_snake_case (letters, digits, '_')", c,
                        CHECK_REF__NAME, IssueCodes.BAD_CHECK);
            } else if (!seen.add(c.getName())) {
                error("check '" + c.getName() + "' is named twice for requirement '" + r.getName() + "'", c,
                        CHECK_REF__NAME, IssueCodes.BAD_CHECK);
            }
        }
        if (r.isNotCheckable() && (r.getReason() == null || r.getReason().isBlank())) {
            error("'not checkable' needs the reason a front end cannot observe it", r, REQUIREMENT__REASON,
                    IssueCodes.BAD_CHECK);
        }
    }

    /**
     * A device-side statement of a standard chapter (or a rule every device honours, declared
     * outside a device) should cite its section and say how it is tested. Drafts and proposals
     * have no chapter to cite.
     */
    @Check
    public void checkCited(Requirement r) {
        if (r.getParty() != Party.DEVICE || !inStandardChapter(r)) {
            return;
        }
        boolean hasStatus = !r.getChecks().isEmpty() || !r.getExpectations().isEmpty() || r.isNotCheckable();
        if (r.getSection() != null && hasStatus) {
            return;
        }
        String missing = r.getSection() == null && !hasStatus ? "no spec section and no status"
                : r.getSection() == null ? "no spec section" : "no status ('expect', 'checked by' or 'not checkable')";
        warning("'" + owner(r) + "': device requirement '" + r.getName() + "' states " + missing, r,
                REQUIREMENT__NAME, IssueCodes.REQUIREMENT_UNCITED);
    }

    private static boolean inStandardChapter(Requirement r) {
        EObject c = r.eContainer();
        if (c instanceof DeviceExtension) {
            return false; // a proposal's additions: no published section yet
        }
        return !(c instanceof Device d) || d.getStatus() == SpecStatus.STANDARD;
    }

    private static String owner(Requirement r) {
        EObject c = r.eContainer();
        if (c instanceof Device d) {
            return d.getName();
        }
        return c instanceof Model m ? m.getName() : "?";
    }
}
