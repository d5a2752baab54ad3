package dev.avps.eclipse.highlight;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.text.Document;
import org.eclipse.jface.text.rules.IToken;
import org.eclipse.jface.text.rules.Token;
import org.junit.jupiter.api.Test;

/** The built-in highlighter's lexer, with tokens carrying their kind instead of colours. */
class AvpsTokenScannerTest {

    /** One scanned token: kind (null for whitespace or unmatched characters) and text. */
    record Scanned(AvpsTokenKind kind, String text) {
        @Override
        public String toString() {
            return kind + ":" + text;
        }
    }

    private static List<Scanned> scan(String text) {
        AvpsTokenScanner scanner = new AvpsTokenScanner(Token::new);
        Document document = new Document(text);
        scanner.setRange(document, 0, document.getLength());
        List<Scanned> result = new ArrayList<>();
        for (IToken token = scanner.nextToken(); !token.isEOF(); token = scanner.nextToken()) {
            if (token.isWhitespace()) {
                continue;
            }
            AvpsTokenKind kind = token.getData() instanceof AvpsTokenKind k ? k : null;
            result.add(new Scanned(kind, text.substring(scanner.getTokenOffset(),
                    scanner.getTokenOffset() + scanner.getTokenLength())));
        }
        return result;
    }

    private static List<Scanned> of(Object... kindAndText) {
        List<Scanned> expected = new ArrayList<>();
        for (int i = 0; i < kindAndText.length; i += 2) {
            expected.add(new Scanned((AvpsTokenKind) kindAndText[i], (String) kindAndText[i + 1]));
        }
        return expected;
    }

    @Test
    void keywordsTypesAndNamesAreTold() {
        assertEquals(of(AvpsTokenKind.KEYWORD, "device", AvpsTokenKind.IDENTIFIER, "blk", null, "{",
                AvpsTokenKind.KEYWORD, "id", AvpsTokenKind.NUMBER, "2", null, ";",
                AvpsTokenKind.TYPE, "le32", AvpsTokenKind.IDENTIFIER, "devices", null, ";", null, "}"),
                scan("device blk { id 2; le32 devices; }"));
    }

    @Test
    void hyphenatedKeywordsAreOneWordAndPrefixesOfNamesAreNotKeywords() {
        assertEquals(of(AvpsTokenKind.KEYWORD, "queue", AvpsTokenKind.IDENTIFIER, "requestq",
                AvpsTokenKind.KEYWORD, "driver-to-device", AvpsTokenKind.KEYWORD, "c-name",
                AvpsTokenKind.STRING, "\"x\\\"y\"", AvpsTokenKind.IDENTIFIER, "deviceq"),
                scan("queue requestq driver-to-device c-name \"x\\\"y\" deviceq"));
    }

    @Test
    void commentsOfAllThreeKinds() {
        assertEquals(of(AvpsTokenKind.DOC_COMMENT, "/** doc\n * more */", AvpsTokenKind.COMMENT, "/* c */",
                AvpsTokenKind.COMMENT, "/**/", AvpsTokenKind.COMMENT, "// device",
                AvpsTokenKind.KEYWORD, "struct"),
                scan("/** doc\n * more */ /* c */ /**/ // device\nstruct"));
    }

    @Test
    void unterminatedBlockCommentRunsToTheEnd() {
        assertEquals(of(AvpsTokenKind.KEYWORD, "enum", AvpsTokenKind.COMMENT, "/* open device {"),
                scan("enum /* open device {"));
    }

    @Test
    void numbersIncludeHexWithSeparatorsAndConstantsAreSeparate() {
        assertEquals(of(AvpsTokenKind.NUMBER, "0x1_FF", AvpsTokenKind.NUMBER, "42",
                AvpsTokenKind.CONSTANT, "MUST", AvpsTokenKind.CONSTANT, "draft"),
                scan("0x1_FF 42 MUST draft"));
    }
}
