package dev.avps.generator.c;

/**
 * A load/store function pair for one scalar (or scalar array) member of a portable C struct.
 *
 * @param function the function stem: {@code _get} and {@code _set} are appended
 * @param type     the uint*_t of the value
 * @param loader   the byte-order helper stem, e.g. {@code avps_le32} (then {@code _load}/{@code _store})
 * @param offset   the byte offset of the (first) element from the struct start; for a tail
 *                 accessor, the bytes from the end of the part back to the field
 * @param indexed  whether the functions take an element index
 * @param stride   bytes between elements of an array
 */
public record CAccessor(String function, String type, String loader, int offset, boolean indexed, int stride) {
}
