package dev.avps.generator.c;

import java.math.BigInteger;

/** Integer literals as a person would write them in a header. */
public final class CLiterals {

    private static final BigInteger HEX_FROM = BigInteger.valueOf(0x10000);

    private CLiterals() {
    }

    /** Small values in decimal; large ones (bit patterns, 0x80000000) in hex, unsigned when above int. */
    public static String of(BigInteger v) {
        if (v.signum() >= 0 && v.compareTo(HEX_FROM) >= 0) {
            String hex = "0x" + v.toString(16).toUpperCase(java.util.Locale.ROOT);
            // Above int the literal needs a suffix so every compiler gives it an unsigned type wide enough.
            return v.bitLength() > 32 ? hex + "ULL" : v.bitLength() > 31 ? hex + "U" : hex;
        }
        return v.toString();
    }

    /** A mask of {@code width} bits from {@code lsb}, in hex padded to the field's width, as Linux does. */
    public static String mask(int lsb, int width, int fieldBits) {
        BigInteger m = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE).shiftLeft(lsb);
        String hex = m.toString(16).toUpperCase(java.util.Locale.ROOT);
        String padded = "0".repeat(Math.max(0, fieldBits / 4 - hex.length())) + hex;
        return "0x" + padded + (fieldBits > 32 ? "ULL" : m.bitLength() > 31 ? "U" : "");
    }
}
