package dev.avps.maven;

import dev.avps.generator.GenerationException;
import dev.avps.generator.GeneratorOptions;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Generates from the project's .avps specs during generate-sources and adds the output
 * directories to the build, so generated sources compile with the module. Skips all work when
 * specs, templates and settings are unchanged since the last successful run.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractMojo {

    /** The directory of .avps files (searched recursively). */
    @Parameter(property = "avps.sourceDirectory", defaultValue = "${project.basedir}/src/main/avps")
    File sourceDirectory;

    /** Spec files or directories that resolve imports but are not generated from (e.g. a catalog). */
    @Parameter
    List<File> libraries = new ArrayList<>();

    /** Where targets producing sources write. */
    @Parameter(property = "avps.outputDirectory", defaultValue = "${project.build.directory}/generated-sources/avps")
    File outputDirectory;

    /** Where targets producing tests write. */
    @Parameter(property = "avps.testOutputDirectory",
            defaultValue = "${project.build.directory}/generated-test-sources/avps")
    File testOutputDirectory;

    /** Target names, as for `avps generate -t`. */
    @Parameter(property = "avps.targets", defaultValue = "c-linux")
    List<String> targets;

    /** The identifier prefix of the c-portable target. */
    @Parameter(property = "avps.cPrefix", defaultValue = "avps_")
    String cPrefix;

    /** The java targets' package, as `avps generate --java-package`; {device} stands for the device name. */
    @Parameter(property = "avps.javaPackage", defaultValue = "dev.avps.generated.{device}")
    String javaPackage;

    /** Templates overriding or adding to the built-in ones. */
    @Parameter(property = "avps.templates")
    File templateDirectory;

    /** Records the inputs of the last run, to skip unchanged builds. */
    /** One stamp per execution, so two executions (e.g. sources and a skeleton) do not undo each other's skip. */
    @Parameter(defaultValue = "${project.build.directory}/avps/${mojoExecution.executionId}.stamp", readonly = true)
    File stampFile;

    @Parameter(property = "avps.skip", defaultValue = "false")
    boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("avps: skipped");
            return;
        }
        GenerationSettings settings = new GenerationSettings(sourceDirectory.toPath(),
                libraries.stream().map(File::toPath).toList(), outputDirectory.toPath(), testOutputDirectory.toPath(),
                stampFile.toPath(), targets, cPrefix, templateDirectory == null ? null : templateDirectory.toPath(),
                // null when Maven took this goal's descriptor from an older installed copy of the plugin
                // (one without the parameter) while running these classes from the reactor
                javaPackage == null ? GeneratorOptions.DEFAULT_JAVA_PACKAGE : javaPackage);
        try {
            GenerationRun.Outcome outcome = new GenerationRun(settings, getLog()::info).run();
            outcome.warnings().forEach(getLog()::warn);
            if (outcome.upToDate()) {
                getLog().info("avps: generated files are up to date");
            } else {
                getLog().info("avps: " + outcome.written().size() + " file(s) written, " + outcome.unchanged().size()
                        + " unchanged");
            }
        } catch (GenerationException e) {
            e.problems().forEach(getLog()::error);
            throw new MojoFailureException("avps: generation failed:\n" + String.join("\n", e.problems()));
        } catch (RuntimeException e) {
            throw new MojoExecutionException("avps: internal error: " + e, e);
        }
        project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
        project.addTestCompileSourceRoot(testOutputDirectory.getAbsolutePath());
    }
}
