package dev.avps.dsl.semantic;

import dev.avps.dsl.avps.FieldPath;
import dev.avps.model.EnumModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.RequestModel;
import dev.avps.model.RequestSelector;
import dev.avps.model.StructLayout;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Derives each request format's {@link RequestSelector} from its laid-out readable part: the one
 * walk of the discriminator path that Java dispatch, docs, generated tests and the validator's
 * one-selector-per-queue rule all rely on. The validator runs on broken models, so the public
 * helpers take unresolved references and missing layouts without failing.
 */
public final class Selectors {

    private Selectors() {
    }

    /**
     * Where a discriminator sits in a request's readable part: its offset from the part's start and
     * the field it ends on.
     */
    public record Place(int offset, FieldLayout leaf) {
    }

    /** A discriminator's field names from the outside in; "?" stands for a field that does not resolve. */
    public static List<String> path(FieldPath discriminator) {
        List<String> names = new ArrayList<>();
        for (FieldPath p = discriminator; p != null; p = p.getParent()) {
            names.add(0, p.getField() == null || p.getField().eIsProxy() ? "?" : p.getField().getName());
        }
        return names;
    }

    /**
     * Follows {@code path} through {@code readable}; empty when the path is empty, a step is missing,
     * or a step sits after a variable-size field (no fixed offset from the start).
     */
    public static Optional<Place> place(StructLayout readable, List<String> path) {
        FieldLayout leaf = null;
        int offset = 0;
        StructLayout at = readable;
        for (String step : path) {
            FieldLayout f = at == null ? null : at.field(step).orElse(null);
            if (f == null || f.base() != FieldLayout.OffsetBase.START) {
                return Optional.empty();
            }
            offset += f.offset();
            leaf = f;
            at = f.nested();
        }
        return leaf == null ? Optional.empty() : Optional.of(new Place(offset, leaf));
    }

    /** Every request of a device with its selector filled in (null where there is none). */
    static List<RequestModel> derive(List<RequestModel> requests, List<EnumModel> enums) {
        return requests.stream().map(r -> r.withSelector(of(r, requests, enums))).toList();
    }

    static RequestSelector of(RequestModel r, List<RequestModel> all, List<EnumModel> enums) {
        if (r.discriminator().isEmpty() || r.values().isEmpty()) {
            return null;
        }
        Place place = place(r.readable(), r.discriminator()).orElse(null);
        if (place == null || place.leaf().scalar() == null || place.leaf().isArray()) {
            return null;
        }
        FieldLayout leaf = place.leaf();
        return new RequestSelector(r.discriminator(), place.offset(), leaf.scalar(), r.mask(),
                namingEnum(r, leaf, all, enums));
    }

    /**
     * The enum whose literals name the values: the field's own enum type; otherwise the only enum
     * holding every value the queue's formats use with this path (virtio-blk's header.type is a
     * plain virtio32, yet all its values are virtio_blk_type literals).
     */
    private static String namingEnum(RequestModel r, FieldLayout leaf, List<RequestModel> all, List<EnumModel> enums) {
        if (leaf.kind() == FieldLayout.Kind.ENUM
                && enums.stream().anyMatch(e -> e.name().equals(leaf.typeName()))) {
            return leaf.typeName();
        }
        Set<BigInteger> used = new HashSet<>();
        for (RequestModel other : all) {
            if (other.discriminator().equals(r.discriminator()) && other.queue() != null
                    && other.queue().equals(r.queue())) {
                used.addAll(other.values());
            }
        }
        List<EnumModel> covering = enums.stream()
                .filter(e -> e.literals().stream().map(EnumModel.Literal::value).toList().containsAll(used)).toList();
        return covering.size() == 1 ? covering.get(0).name() : null;
    }
}
