package dev.avps.specmodels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counted device-side normative statements of each VIRTIO 1.4 chapter, as
 * {@code tools/count_requirements.py} wrote them into {@code src/test/resources/requirement-facts.txt}:
 * one line per device requirement section, "chapter section count title".
 */
final class RequirementFacts {

    static final Path FILE = Path.of("src/test/resources/requirement-facts.txt");

    /** One device-normative section of a chapter and the number of statements the rule counts in it. */
    record Section(String chapter, String number, int count, String title) {
    }

    private RequirementFacts() {
    }

    /** The sections of each chapter, in spec order, keyed by chapter ("blk", "common.basic", ...). */
    static Map<String, List<Section>> load() {
        Map<String, List<Section>> out = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ", 4);
            if (f.length < 4) {
                throw new IllegalStateException(FILE + ":" + (i + 1) + ": expected 'chapter section count title'");
            }
            out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new Section(f[0], f[1], Integer.parseInt(f[2]), f[3]));
        }
        return out;
    }

    /** The number of statements the rule counts in a chapter. */
    static int total(List<Section> sections) {
        return sections.stream().mapToInt(Section::count).sum();
    }
}
