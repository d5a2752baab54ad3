package dev.avps.dsl.naming;

import dev.avps.dsl.avps.EnumLiteral;
import org.eclipse.xtext.naming.DefaultDeclarativeQualifiedNameProvider;
import org.eclipse.xtext.naming.QualifiedName;

/**
 * Enum values live beside their enum, as in C: {@code VIRTIO_BLK_T_IN} is named from the device
 * or package, not through {@code virtio_blk_type}. Spec text and Linux headers use them that way.
 */
public class AvpsQualifiedNameProvider extends DefaultDeclarativeQualifiedNameProvider {

    /**
     * No name rather than an empty one: after a syntax error a package may be named "" or "f."
     * (an empty segment), and Xtext's import scoping rejects an empty namespace with an exception
     * (found by the spec fuzzer with {@code package * f.;}).
     */
    @Override
    public QualifiedName getFullyQualifiedName(org.eclipse.emf.ecore.EObject obj) {
        QualifiedName q = super.getFullyQualifiedName(obj);
        return q == null || q.isEmpty() || q.getSegments().stream().anyMatch(String::isEmpty) ? null : q;
    }

    protected QualifiedName qualifiedName(EnumLiteral literal) {
        if (literal.getName() == null) {
            return null;
        }
        QualifiedName owner = literal.eContainer() == null || literal.eContainer().eContainer() == null ? null
                : getFullyQualifiedName(literal.eContainer().eContainer());
        return owner == null ? QualifiedName.create(literal.getName()) : owner.append(literal.getName());
    }
}
