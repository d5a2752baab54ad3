package dev.avps.generator.c;

import java.util.List;

/** An enum as Linux writes them: a commented group of defines. */
public record CEnum(String name, String doc, List<CMacro> values) {
}
