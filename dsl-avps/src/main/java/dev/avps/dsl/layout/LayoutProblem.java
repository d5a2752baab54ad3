package dev.avps.dsl.layout;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;

/**
 * Something the layout engine could not place as written. The validator turns these into
 * diagnostics at the element's position; the engine itself never throws on a bad model.
 */
public record LayoutProblem(EObject element, EStructuralFeature feature, boolean error, String code, String message) {
}
