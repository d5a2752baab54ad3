package dev.avps.dsl.naming;

import dev.avps.dsl.avps.EnumLiteral;
import org.eclipse.xtext.naming.DefaultDeclarativeQualifiedNameProvider;
import org.eclipse.xtext.naming.QualifiedName;

/**
 * Enum values live beside their enum, as in C: {@code VIRTIO_BLK_T_IN} is named from the device
 * or package, not through {@code virtio_blk_type}. Spec text and Linux headers use them that way.
 */
public class AvpsQualifiedNameProvider extends DefaultDeclarativeQualifiedNameProvider {

    protected QualifiedName qualifiedName(EnumLiteral literal) {
        if (literal.getName() == null) {
            return null;
        }
        QualifiedName owner = literal.eContainer() == null || literal.eContainer().eContainer() == null ? null
                : getFullyQualifiedName(literal.eContainer().eContainer());
        return owner == null ? QualifiedName.create(literal.getName()) : owner.append(literal.getName());
    }
}
