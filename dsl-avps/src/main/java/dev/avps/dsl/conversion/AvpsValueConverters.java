package dev.avps.dsl.conversion;

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
public class AvpsValueConverters extends DefaultTerminalConverters {

    private static final IValueConverter<BigInteger> NUMBER = new IValueConverter<>() {
        @Override
        public BigInteger toValue(String string, INode node) {
            if (string == null || string.isEmpty()) {
                throw new ValueConverterException("a number is missing", node, null);
            }
            String s = string.replace("_", "");
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
}
