package dev.avps.model;

import java.util.Map;

/**
 * A bound on a config field written next to its requirement ({@code expect config ngpio >= 1}):
 * a conformance runner reads the field once the features are negotiated and compares, with no
 * check written by hand. Every config field involved comes resolved to its bytes, so the runner
 * never works out an offset itself.
 *
 * @param text      the expectation as written, without the leading {@code config} ("guest_cid >= 3")
 * @param field     the field compared
 * @param op        the comparison
 * @param bound     the right-hand side; its {@link ValueExpr.FieldRef}s name entries of {@code operands}
 * @param operands  the config fields the bound reads, by the path written in it
 * @param condition the features under which the bound applies ({@code when}), or null for always
 */
public record Expectation(String text, ConfigRead field, Comparison op, ValueExpr bound, Map<String, ConfigRead> operands,
        FeatureExpr condition) {

    public Expectation {
        operands = Map.copyOf(operands);
    }

    /** The comparison operators, by their .avps spelling. */
    public enum Comparison {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** Whether {@code left op right} holds, as the signum of {@code left.compareTo(right)} tells. */
        public boolean holds(int compared) {
            return switch (this) {
                case EQ -> compared == 0;
                case NE -> compared != 0;
                case LT -> compared < 0;
                case LE -> compared <= 0;
                case GT -> compared > 0;
                case GE -> compared >= 0;
            };
        }
    }

    /**
     * One scalar config field placed in the bytes: {@code offset} counts from the start of the
     * config space (a member of a struct field adds the struct's offset).
     *
     * @param path      the field's name, or a dotted path into a struct field ("zoned.model")
     * @param present   the features under which every field along the path exists, or null for always
     */
    public record ConfigRead(String path, int offset, ScalarType scalar, FeatureExpr present) {
    }
}
