package dev.avps.model;

import java.math.BigInteger;
import java.util.List;

/** An enumeration with explicit values over a declared scalar. */
public record EnumModel(String name, String cName, String doc, ScalarType type, List<Literal> literals) {

    public record Literal(String name, BigInteger value, String doc) {
    }
}
