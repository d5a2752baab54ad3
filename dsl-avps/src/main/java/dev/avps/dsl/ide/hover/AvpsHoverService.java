package dev.avps.dsl.ide.hover;

import dev.avps.dsl.avps.Feature;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.Request;
import dev.avps.dsl.avps.Struct;
import dev.avps.dsl.layout.LayoutEngine;
import dev.avps.model.FieldLayout;
import dev.avps.model.StructLayout;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.ide.server.hover.HoverService;

/**
 * Hover shows an element's doc comment and what the layout engine made of it: for a field its
 * offset, size and byte order, for a struct its size and alignment, for a feature its bit.
 */
public class AvpsHoverService extends HoverService {

    @Override
    public String getContents(EObject element) {
        String doc = super.getContents(element);
        String facts = facts(element);
        if (facts == null) {
            return doc;
        }
        return doc == null || doc.isBlank() ? facts : doc + "\n\n" + facts;
    }

    private static String facts(EObject element) {
        if (element instanceof Feature f) {
            return "Feature bit " + f.getBit() + (f.isLegacy() ? " (legacy)" : "") + (f.isDeprecated() ? " (deprecated)" : "");
        }
        if (element instanceof Struct s) {
            StructLayout l = new LayoutEngine(o -> null).layout(s);
            return (l.variable() ? "At least " : "") + l.size() + " bytes, aligned to " + l.align()
                    + (l.naturallyAligned() ? "" : "; C needs packed");
        }
        if (element instanceof Field f) {
            FieldLayout l = place(f);
            return l == null ? null : describe(l);
        }
        return null;
    }

    private static FieldLayout place(Field f) {
        LayoutEngine engine = new LayoutEngine(o -> null);
        StructLayout owner = null;
        if (f.eContainer() instanceof Struct s) {
            owner = engine.layout(s);
        } else if (f.eContainer() instanceof Request r) {
            owner = f.isWritable() ? engine.writablePart(r) : engine.readablePart(r);
        }
        return owner == null ? null : owner.field(f.getName()).orElse(null);
    }

    static String describe(FieldLayout l) {
        StringBuilder b = new StringBuilder();
        switch (l.base()) {
            case START -> b.append("Offset ").append(l.offset());
            case AFTER -> b.append("Offset ").append(l.offset()).append(" after the end of ").append(l.anchor());
            case END -> b.append(l.offset()).append(" bytes before the end");
            default -> throw new IllegalStateException(l.base().toString());
        }
        switch (l.arrayKind()) {
            case RUNTIME -> b.append(", ").append(l.arrayLength().render()).append(" x ").append(l.elementSize())
                    .append(" bytes");
            case FLEXIBLE -> b.append(", any number of ").append(l.elementSize()).append("-byte elements");
            default -> b.append(", ").append(l.size()).append(l.size() == 1 ? " byte" : " bytes");
        }
        if (l.scalar() != null) {
            b.append(", ").append(switch (l.scalar().order()) {
                case LITTLE -> "little-endian";
                case BIG -> "big-endian";
                case VIRTIO -> "virtio-endian (little-endian unless legacy)";
                case NONE -> "single bytes";
            }).append(" (").append(l.scalar().keyword()).append(")");
        }
        if (l.condition() != null) {
            b.append(", present when ").append(l.condition().render());
        }
        return b.toString();
    }
}
