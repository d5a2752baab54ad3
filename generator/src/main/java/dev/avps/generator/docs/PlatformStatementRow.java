package dev.avps.generator.docs;

/**
 * One statement of a platform as its chapter lists it.
 *
 * @param keyword  the RFC 2119 keyword with NOT where negated, e.g. "MUST NOT"
 * @param sentence the statement with its subject, e.g. "blk MUST offer FLUSH.", ending in a full stop
 * @param doc      the doc comment of the device, demand or requirement it comes from, on one line
 * @param checked  how it is observed, see {@link PlatformObservation#text()}
 */
public record PlatformStatementRow(String id, String keyword, String sentence, String doc, String checked) {
}
