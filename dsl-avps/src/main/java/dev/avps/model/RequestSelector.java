package dev.avps.model;

import java.math.BigInteger;
import java.util.List;

/**
 * How a request format is told apart from the others on its queue, derived once by the semantic
 * model builder so that every consumer (Java dispatch, docs, generated tests, validation) reads
 * the same facts instead of walking the layout again.
 *
 * @param path       the discriminator's field path in the readable part, e.g. {@code [header, type]}
 * @param offset     its byte offset from the start of the readable part
 * @param scalar     its wire type (width and byte order)
 * @param mask       the bits compared, or {@code null} for all of them
 * @param namingEnum the device enum whose literals name the selecting values (the field's own enum
 *                   type, else the only device enum holding every value this queue's formats use
 *                   with this path), or {@code null} when numbers are all there is
 */
public record RequestSelector(List<String> path, int offset, ScalarType scalar, BigInteger mask, String namingEnum) {

    public RequestSelector {
        path = List.copyOf(path);
    }

    /** Bytes the selector occupies. */
    public int width() {
        return scalar.size();
    }

    public boolean bigEndian() {
        return scalar.order() == ByteOrder.BIG;
    }

    /** The path as the spec writes it, {@code header.type}. */
    public String pathText() {
        return String.join(".", path);
    }
}
