package dev.avps.dsl.semantic;

import dev.avps.model.EnumModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.RequestModel;
import dev.avps.model.RequestSelector;
import dev.avps.model.StructLayout;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Derives each request format's {@link RequestSelector} from its laid-out readable part: the one
 * walk of the discriminator path that Java dispatch, docs and generated tests used to repeat.
 */
final class Selectors {

    private Selectors() {
    }

    /** Every request of a device with its selector filled in (null where there is none). */
    static List<RequestModel> derive(List<RequestModel> requests, List<EnumModel> enums) {
        return requests.stream().map(r -> r.withSelector(of(r, requests, enums))).toList();
    }

    static RequestSelector of(RequestModel r, List<RequestModel> all, List<EnumModel> enums) {
        if (r.discriminator().isEmpty() || r.values().isEmpty()) {
            return null;
        }
        FieldLayout leaf = null;
        int offset = 0;
        StructLayout at = r.readable();
        for (String step : r.discriminator()) {
            FieldLayout f = at == null ? null : at.field(step).orElse(null);
            if (f == null || f.base() != FieldLayout.OffsetBase.START) {
                return null;
            }
            offset += f.offset();
            leaf = f;
            at = f.nested();
        }
        if (leaf == null || leaf.scalar() == null || leaf.isArray()) {
            return null;
        }
        return new RequestSelector(r.discriminator(), offset, leaf.scalar(), r.mask(), namingEnum(r, leaf, all, enums));
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
