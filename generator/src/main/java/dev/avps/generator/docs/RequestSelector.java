package dev.avps.generator.docs;

import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.RequestModel;
import dev.avps.model.StructLayout;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What selects a request format, e.g. {@code header.type == VIRTIO_BLK_T_IN (0)}.
 *
 * <p>The model keeps the selecting values but not the names the spec wrote. The names are
 * recovered from the discriminator's enum type when it has one; otherwise from the only device
 * enum that contains every value any request uses with that discriminator (virtio-blk's
 * {@code header.type} is a plain virtio32, yet all its values are virtio_blk_type literals).
 * Without such an enum the numbers are shown.
 */
public final class RequestSelector {

    private RequestSelector() {
    }

    public static String describe(DeviceModel d, RequestModel r) {
        if (r.discriminator().isEmpty() || r.values().isEmpty()) {
            return "";
        }
        Optional<EnumModel> names = namingEnum(d, r);
        List<String> values = new ArrayList<>();
        for (BigInteger v : r.values()) {
            String name = names.flatMap(e -> e.literals().stream().filter(l -> l.value().equals(v)).findFirst())
                    .map(l -> l.name() + " (" + v + ")").orElse(v.toString());
            values.add(name);
        }
        String path = String.join(".", r.discriminator())
                + (r.mask() == null ? "" : " & 0x" + r.mask().toString(16));
        return values.size() == 1 ? path + " == " + values.get(0) : path + " in " + String.join(", ", values);
    }

    static Optional<EnumModel> namingEnum(DeviceModel d, RequestModel r) {
        FieldLayout f = field(r.readable(), r.discriminator());
        if (f != null && f.kind() == FieldLayout.Kind.ENUM) {
            Optional<EnumModel> typed = d.enums().stream().filter(e -> e.name().equals(f.typeName())).findFirst();
            if (typed.isPresent()) {
                return typed;
            }
        }
        Set<BigInteger> used = new HashSet<>();
        for (RequestModel other : d.requests()) {
            if (other.discriminator().equals(r.discriminator()) && other.queue().equals(r.queue())) {
                used.addAll(other.values());
            }
        }
        List<EnumModel> covering = d.enums().stream().filter(e -> e.literals().stream()
                .map(EnumModel.Literal::value).toList().containsAll(used)).toList();
        return covering.size() == 1 ? Optional.of(covering.get(0)) : Optional.empty();
    }

    static FieldLayout field(StructLayout s, List<String> path) {
        StructLayout at = s;
        FieldLayout found = null;
        for (String step : path) {
            if (at == null) {
                return null;
            }
            found = at.field(step).orElse(null);
            if (found == null) {
                return null;
            }
            at = found.nested();
        }
        return found;
    }
}
