package dev.avps.eclipse.highlight;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

import org.eclipse.jface.text.rules.ICharacterScanner;
import org.eclipse.jface.text.rules.IRule;
import org.eclipse.jface.text.rules.IToken;
import org.eclipse.jface.text.rules.IWordDetector;
import org.eclipse.jface.text.rules.RuleBasedScanner;
import org.eclipse.jface.text.rules.SingleLineRule;
import org.eclipse.jface.text.rules.Token;
import org.eclipse.jface.text.rules.WhitespaceRule;
import org.eclipse.jface.text.rules.WordRule;

/**
 * Splits .avps text into comments, strings, numbers, keywords, types and constants for the
 * built-in highlighter. It knows nothing about colours: the caller supplies the token for each
 * {@link AvpsTokenKind}, which keeps this class free of SWT and testable without a display.
 */
public class AvpsTokenScanner extends RuleBasedScanner {

    /** Creates a scanner whose tokens come from {@code tokenFor}, called once per kind. */
    public AvpsTokenScanner(Function<AvpsTokenKind, IToken> tokenFor) {
        Map<AvpsTokenKind, IToken> tokens = new EnumMap<>(AvpsTokenKind.class);
        for (AvpsTokenKind kind : AvpsTokenKind.values()) {
            tokens.put(kind, tokenFor.apply(kind));
        }
        // Names run on over '-' so that c-name and driver-to-device are single words; the grammar
        // has no identifier containing '-', and `a - b` is written with spaces in the catalog.
        WordRule words = new WordRule(new AvpsWordDetector(), tokens.get(AvpsTokenKind.IDENTIFIER));
        for (String word : AvpsKeywords.all()) {
            words.addWord(word, tokens.get(AvpsKeywords.classify(word)));
        }
        setRules(new IRule[] {
            new CommentRule(tokens.get(AvpsTokenKind.COMMENT), tokens.get(AvpsTokenKind.DOC_COMMENT)),
            new SingleLineRule("\"", "\"", tokens.get(AvpsTokenKind.STRING), '\\', true),
            new WhitespaceRule(Character::isWhitespace),
            words,
            new NumberRule(tokens.get(AvpsTokenKind.NUMBER)),
        });
    }

    /** Words start like identifiers and continue with letters, digits, '_' and '-'. */
    static final class AvpsWordDetector implements IWordDetector {
        @Override
        public boolean isWordStart(char c) {
            return Character.isLetter(c) || c == '_';
        }

        @Override
        public boolean isWordPart(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '-';
        }
    }

    /**
     * {@code //} to the end of the line, {@code /* ... *\/} and {@code /** ... *\/} (the latter a doc
     * comment, except the empty {@code /**\/}); an unterminated block runs to the end of the text.
     */
    static final class CommentRule implements IRule {
        private final IToken comment;
        private final IToken doc;

        CommentRule(IToken comment, IToken doc) {
            this.comment = comment;
            this.doc = doc;
        }

        @Override
        public IToken evaluate(ICharacterScanner scanner) {
            if (scanner.read() != '/') {
                scanner.unread();
                return Token.UNDEFINED;
            }
            int second = scanner.read();
            if (second == '/') {
                int c;
                do {
                    c = scanner.read();
                } while (c != ICharacterScanner.EOF && c != '\n' && c != '\r');
                scanner.unread();
                return comment;
            }
            if (second != '*') {
                scanner.unread();
                scanner.unread();
                return Token.UNDEFINED;
            }
            boolean isDoc = false;
            int c = scanner.read();
            if (c == '*') {
                int next = scanner.read();
                if (next == '/') {
                    return comment; // "/**/" is an empty ordinary comment
                }
                isDoc = true;
                c = next;
            }
            int previous = 0;
            while (c != ICharacterScanner.EOF) {
                if (previous == '*' && c == '/') {
                    return isDoc ? doc : comment;
                }
                previous = c;
                c = scanner.read();
            }
            scanner.unread(); // give back EOF
            return isDoc ? doc : comment;
        }
    }

    /** Decimal numbers and hexadecimal ones with {@code _} separators ({@code 0x1_0000}). */
    static final class NumberRule implements IRule {
        private final IToken number;

        NumberRule(IToken number) {
            this.number = number;
        }

        @Override
        public IToken evaluate(ICharacterScanner scanner) {
            int c = scanner.read();
            if (c < '0' || c > '9') {
                scanner.unread();
                return Token.UNDEFINED;
            }
            boolean hex = false;
            if (c == '0') {
                int x = scanner.read();
                if (x == 'x' || x == 'X') {
                    hex = true;
                } else {
                    scanner.unread();
                }
            }
            while (true) {
                c = scanner.read();
                boolean digit = c >= '0' && c <= '9'
                        || hex && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '_');
                if (!digit) {
                    scanner.unread();
                    return number;
                }
            }
        }
    }
}
