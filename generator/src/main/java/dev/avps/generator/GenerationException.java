package dev.avps.generator;

import java.util.List;

/**
 * Generation cannot go on; each problem is a line ready for the user, in the compiler style
 * {@code file:line:col: error: message} where a file is involved.
 */
public final class GenerationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public GenerationException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public GenerationException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
