package dev.avps.generator.docs;

import dev.avps.model.RequirementModel;
import java.util.List;

/**
 * Device requirements as the docs targets list them: the rows in declaration order and the count
 * line above them. Used for a device's chapter and for the rules every device honours.
 */
public record RequirementTable(List<RequirementModel> rows) {

    public RequirementTable {
        rows = List.copyOf(rows);
    }

    /** Requirements a conformance run tests through named checks. */
    public int checkable() {
        return (int) rows.stream().filter(r -> r.status() == RequirementModel.Status.CHECKED).count();
    }

    /** "Modeled N device requirements; checkable K." */
    public String countLine() {
        int n = rows.size();
        return "Modeled " + n + " device requirement" + (n == 1 ? "" : "s") + "; checkable " + checkable() + ".";
    }
}
