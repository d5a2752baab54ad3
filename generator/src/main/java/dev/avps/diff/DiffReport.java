package dev.avps.diff;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/** Prints changes for people (one line each, breaking first) or for tools (JSON). */
public final class DiffReport {

    private DiffReport() {
    }

    public static boolean breaking(List<Change> changes) {
        return changes.stream().anyMatch(Change::breaking);
    }

    /** {@code blk: BREAKING FEATURE_RENUMBERED feature FLUSH: bit 9 -> 10}, breaking changes first. */
    public static String text(List<Change> changes) {
        StringBuilder b = new StringBuilder();
        changes.stream().sorted((x, y) -> Boolean.compare(y.breaking(), x.breaking())).forEach(c -> b
                .append(c.device()).append(": ").append(c.breaking() ? "BREAKING " : "compatible ")
                .append(c.rule()).append(' ').append(c.element()).append(": ").append(c.detail()).append('\n'));
        long n = changes.stream().filter(Change::breaking).count();
        b.append(changes.size()).append(" change(s), ").append(n).append(" breaking\n");
        return b.toString();
    }

    public static String json(List<Change> changes) {
        JsonObject root = new JsonObject();
        root.addProperty("breaking", breaking(changes));
        JsonArray arr = new JsonArray();
        for (Change c : changes) {
            JsonObject o = new JsonObject();
            o.addProperty("device", c.device());
            o.addProperty("rule", c.rule().name());
            o.addProperty("breaking", c.breaking());
            o.addProperty("element", c.element());
            o.addProperty("detail", c.detail());
            arr.add(o);
        }
        root.add("changes", arr);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root);
    }
}
