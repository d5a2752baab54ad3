package dev.avps.generator;

import dev.avps.model.SpecModel;
import java.util.List;

/**
 * One output format. A target only decides which files exist, which template renders each and
 * what data that template sees; the templates under {@code templates/<name>/} do the formatting.
 * A new target is one implementation plus its templates, registered in {@link TargetRegistry}.
 */
public interface Target {

    /** Where a build tool should put a target's files: with the sources or with the tests. */
    enum Root { SOURCES, TEST_SOURCES }

    /** The name users select the target by, and the template folder's name. */
    String name();

    /** One line for `avps generate --help` and error messages. */
    String description();

    default Root root() {
        return Root.SOURCES;
    }

    /** The files this target makes from a model, each as a template to render with its data. */
    List<FileRequest> plan(SpecModel model, GeneratorOptions options);
}
