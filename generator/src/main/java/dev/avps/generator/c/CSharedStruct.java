package dev.avps.generator.c;

/**
 * A shared struct as printed into every header that needs it, behind a guard macro, so two
 * device headers (and the catalog-wide shared header) can each carry it without a redefinition.
 */
public record CSharedStruct(String guard, CStruct struct) {
}
