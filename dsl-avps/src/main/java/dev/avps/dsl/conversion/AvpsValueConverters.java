package dev.avps.dsl.conversion;

import dev.avps.dsl.validation.Limits;
import com.google.inject.Singleton;
import java.math.BigInteger;
import org.eclipse.xtext.common.services.DefaultTerminalConverters;
import org.eclipse.xtext.conversion.IValueConverter;
import org.eclipse.xtext.conversion.ValueConverter;
import org.eclipse.xtext.conversion.ValueConverterException;
import org.eclipse.xtext.nodemodel.INode;

/**
 * Numbers are unbounded on parse (64-bit unsigned constants exceed a long); the validator
 * checks them against their declared scalar type, which gives a better message than the lexer.
 */
@Singleton // Guice does not inherit the scope; without it every parser and resource rebuilt the converter table
public class AvpsValueConverters extends DefaultTerminalConverters {

    private static final IValueConverter<BigInteger> NUMBER = new IValueConverter<>() {
        @Override
        public BigInteger toValue(String string, INode node) {
            if (string == null || string.isEmpty()) {
                throw new ValueConverterException("a number is missing", node, null);
            }
            String s = string.replace("_", "");
            int digits = s.startsWith("0x") || s.startsWith("0X") ? s.length() - 2 : s.length();
            if (digits > Limits.MAX_NUMBER_DIGITS) {
                // BigInteger parses in quadratic time; no value the language needs is this long.
                throw new ValueConverterException("a number of " + digits + " digits is longer than the "
                        + Limits.MAX_NUMBER_DIGITS + " digits any value needs", node, null);
            }
            try {
                if (s.startsWith("0x") || s.startsWith("0X")) {
                    if (s.length() == 2) {
                        throw new ValueConverterException("'" + string + "' has no hex digits", node, null);
                    }
                    return new BigInteger(s.substring(2), 16);
                }
                return new BigInteger(s);
            } catch (NumberFormatException e) {
                throw new ValueConverterException("'" + string + "' is not a number", node, e);
            }
        }

        @Override
        public String toString(BigInteger value) {
            return value.toString();
        }
    };

    @ValueConverter(rule = "Number")
    public IValueConverter<BigInteger> number() {
        return NUMBER;
    }

    @ValueConverter(rule = "HEX")
    public IValueConverter<BigInteger> hex() {
        return NUMBER;
    }

    /**
     * Bit numbers, bit ranges and declared sizes are plain ints; Xtext's own converter reports an
     * overflow as the bare NumberFormatException text ("For input string: ...").
     */
    @Override
    @ValueConverter(rule = "INT")
    public IValueConverter<Integer> INT() {
        IValueConverter<Integer> plain = super.INT();
        return new IValueConverter<>() {
            @Override
            public Integer toValue(String string, INode node) {
                try {
                    return plain.toValue(string, node);
                } catch (ValueConverterException | NumberFormatException e) {
                    throw new ValueConverterException("'" + string + "' is too large here: bit numbers and sizes"
                            + " must be at most " + Integer.MAX_VALUE, node, null);
                }
            }

            @Override
            public String toString(Integer value) {
                return plain.toString(value);
            }
        };
    }
}
