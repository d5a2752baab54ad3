package dev.avps.dsl.validation;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Constant;
import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.Enum;
import dev.avps.dsl.avps.Feature;
import dev.avps.dsl.avps.FeatureSet;
import dev.avps.dsl.avps.Queue;
import dev.avps.dsl.avps.QueueGroup;
import dev.avps.dsl.avps.Request;
import dev.avps.dsl.avps.Struct;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.documentation.IEObjectDocumentationProvider;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.CheckType;

/** Doc comments: every element that reaches the generated documents should carry one. */
public class DocValidator extends ConcernValidator {

    @Inject
    private IEObjectDocumentationProvider documentation;

    @Check(CheckType.NORMAL)
    public void checkDocumented(EObject o) {
        if (!(o instanceof Device || o instanceof FeatureSet || o instanceof Feature || o instanceof Struct
                || o instanceof Enum || o instanceof Constant || o instanceof Queue || o instanceof QueueGroup
                || o instanceof Request)) {
            return;
        }
        String doc = documentation.getDocumentation(o);
        if (doc == null || doc.isBlank()) {
            EStructuralFeature name = o.eClass().getEStructuralFeature("name");
            warning(describe(o) + " has no doc comment (/** ... */)", o, name, IssueCodes.MISSING_DOC);
        }
    }

    private static String describe(EObject o) {
        EStructuralFeature name = o.eClass().getEStructuralFeature("name");
        String kind = o instanceof Struct s && s.isConfig() ? "config" : o.eClass().getName().toLowerCase();
        return kind + " '" + o.eGet(name) + "'";
    }
}
