package dev.avps.eclipse.highlight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Keeps the editors in step with the language: the highlighter's words must be exactly the
 * grammar's keywords and enum literals, the TextMate grammar must list each word in the scope of
 * its class, and the VS Code extension must package the same grammar and language configuration.
 */
class GrammarConsistencyTest {
    // Surefire runs with the module directory as working directory.
    private static final Path XTEXT = Path.of("../../dsl-avps/src/main/java/dev/avps/dsl/Avps.xtext");
    private static final Path TM_GRAMMAR = Path.of("syntaxes/avps.tmLanguage.json");

    /** Quoted keywords longer than one character ('a'..'f' in the HEX terminal are not words). */
    private static Set<String> xtextWords() throws IOException {
        String grammar = Files.readString(XTEXT);
        Set<String> words = new TreeSet<>();
        Matcher quoted = Pattern.compile("'([A-Za-z][A-Za-z0-9-]+)'").matcher(grammar);
        while (quoted.find()) {
            words.add(quoted.group(1));
        }
        // Enum rules: bare literals (`u8 | le16`) name themselves; `a='text'` was caught above.
        Matcher enums = Pattern.compile("(?m)^enum\\s+\\w+\\s*:([^;]*);").matcher(grammar);
        while (enums.find()) {
            for (String literal : enums.group(1).split("\\|")) {
                String trimmed = literal.trim();
                if (trimmed.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    words.add(trimmed);
                }
            }
        }
        return words;
    }

    @Test
    void highlighterKnowsExactlyTheGrammarsWords() throws IOException {
        Set<String> fromGrammar = xtextWords();
        assertTrue(fromGrammar.contains("driver-to-device") && fromGrammar.contains("virtio64"),
                "grammar extraction broken: " + fromGrammar);
        assertEquals(fromGrammar, AvpsKeywords.all());
    }

    @Test
    void textMateGrammarListsEveryWordUnderItsScope() throws IOException {
        String json = Files.readString(TM_GRAMMAR);
        List<String> missing = new ArrayList<>();
        check(json, "keyword.other.avps", AvpsKeywords.KEYWORDS, missing);
        check(json, "storage.type.primitive.avps", AvpsKeywords.TYPES, missing);
        check(json, "constant.language.avps", AvpsKeywords.CONSTANTS, missing);
        assertEquals(List.of(), missing);
    }

    private static void check(String json, String scope, Set<String> words, List<String> missing) {
        Matcher rule = Pattern.compile("\"name\": \"" + Pattern.quote(scope) + "\",\\s*\"match\": \"([^\"]*)\"")
                .matcher(json);
        assertTrue(rule.find(), "no match rule for " + scope);
        // The rule reads (?<![\\w-])(a|b|c)(?![\\w-]): the alternatives follow the look-behind.
        Matcher group = Pattern.compile("\\)\\(([^)]*)\\)").matcher(rule.group(1));
        assertTrue(group.find(), "unexpected shape of the " + scope + " rule: " + rule.group(1));
        Set<String> alternatives = Set.of(group.group(1).split("\\|"));
        for (String word : words) {
            if (!alternatives.contains(word)) {
                missing.add(scope + ": " + word);
            }
        }
        assertEquals(words.size(), alternatives.size(), scope + " lists words the highlighter does not: " + alternatives);
    }

    @Test
    void vscodeExtensionPackagesThisGrammar() throws IOException {
        String manifest = Files.readString(Path.of("../vscode/package.json"));
        assertTrue(manifest.contains("\"scopeName\": \"source.avps\""), "scope name in package.json");
        assertTrue(Files.readString(TM_GRAMMAR).contains("\"scopeName\": \"source.avps\""), "scope name in the grammar");
        // vscode:prepublish copies the grammar from this bundle: the source path must stay valid.
        String copied = "../dev.avps.eclipse/" + TM_GRAMMAR.toString().replace('\\', '/');
        assertTrue(manifest.contains(copied), "package.json no longer copies " + copied);
        assertTrue(Files.isRegularFile(Path.of("../vscode").resolve(copied)));
    }

    @Test
    void vscodeAndTm4eShareOneLanguageConfiguration() throws IOException {
        assertEquals(-1L, Files.mismatch(Path.of("language-configuration.json"),
                Path.of("../vscode/language-configuration.json")));
    }
}
