package dev.avps.model;

import java.math.BigInteger;
import java.util.List;

/**
 * A request format on a queue: what the device reads, then what it writes.
 *
 * @param discriminator the field path that selects this format (e.g. {@code header.type}), empty
 *                      when the queue carries only one format
 * @param mask          the bits of the discriminator that are compared, or {@code null} for all
 * @param values        the discriminator values that select this format (after masking)
 * @param readable      the device-readable part, laid out from the start of the readable bytes
 * @param writable      the device-writable part, laid out from the start of the writable bytes
 * @param selector      where the discriminator sits and how it is compared, or {@code null} when
 *                      the format has no selecting value or its discriminator is not a scalar at a
 *                      fixed offset of the readable part (the validator reports that)
 */
public record RequestModel(
        String name,
        String doc,
        String queue,
        List<String> discriminator,
        BigInteger mask,
        List<BigInteger> values,
        StructLayout readable,
        StructLayout writable,
        RequestSelector selector) {

    /** A format whose selector is not derived (yet): the semantic model builder fills it in. */
    public RequestModel(String name, String doc, String queue, List<String> discriminator, BigInteger mask,
            List<BigInteger> values, StructLayout readable, StructLayout writable) {
        this(name, doc, queue, discriminator, mask, values, readable, writable, null);
    }

    public RequestModel withSelector(RequestSelector s) {
        return new RequestModel(name, doc, queue, discriminator, mask, values, readable, writable, s);
    }
}
