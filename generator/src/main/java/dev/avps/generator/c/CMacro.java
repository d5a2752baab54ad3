package dev.avps.generator.c;

/**
 * A {@code #define}.
 *
 * @param legacy whether Linux hides it behind {@code #ifndef <DEV>_NO_LEGACY}
 */
public record CMacro(String name, String value, String doc, boolean legacy) {
}
