package dev.avps.model;

import java.math.BigInteger;

/** A named value of a declared scalar type. */
public record ConstantModel(String name, ScalarType type, BigInteger value, String doc) {
}
