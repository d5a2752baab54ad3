package dev.avps.conform;

/**
 * One conformance check: a stable snake_case name prefixed by its scope ({@code dev_} for the
 * checks derived from the model for any device, the device's name for hand-written ones), and its
 * body. Which requirements it tests is the catalog's word alone ({@code checked by} naming it). A body passes by returning; it fails by throwing
 * {@link CheckFailure} (or any exception, e.g. the front end's verdict on a backend that hangs),
 * and says the check does not apply by throwing {@link Inapplicable}.
 *
 * @param timeoutMillis how long the whole check may take; 0 for the runner's default
 */
public record Check(String name, String description, long timeoutMillis, Body body) {

    /** What the check does against a backend. */
    @FunctionalInterface
    public interface Body {
        void run(CheckContext ctx) throws Exception;
    }

    public Check {
        if (!name.matches("[a-z][a-z0-9]*_[a-z0-9_]+")) {
            throw new IllegalArgumentException("check names are snake_case with a scope prefix: " + name);
        }
    }

    public Check(String name, String description, Body body) {
        this(name, description, 0, body);
    }
}
