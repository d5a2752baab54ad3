package dev.avps.generator;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.ParseException;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapperBuilder;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * FreeMarker set up for reproducible output: fixed locale and number format (no "1,024"), UTF-8,
 * templates from the class path under {@code templates/}, optionally overridden by a directory.
 */
public final class TemplateRenderer {

    static final String CLASSPATH_ROOT = "/templates";

    private final Configuration cfg;
    private final Path overrideDir;

    public TemplateRenderer(Path overrideDir) throws GenerationException {
        this.overrideDir = overrideDir;
        cfg = new Configuration(Configuration.VERSION_2_3_34);
        List<TemplateLoader> loaders = new ArrayList<>();
        if (overrideDir != null) {
            if (!Files.isDirectory(overrideDir)) {
                throw new GenerationException(overrideDir + ": error: --templates must name a directory");
            }
            try {
                loaders.add(new FileTemplateLoader(overrideDir.toFile()));
            } catch (IOException e) {
                throw new GenerationException(overrideDir + ": error: cannot read templates: " + e.getMessage());
            }
        }
        loaders.add(new ClassTemplateLoader(TemplateRenderer.class, CLASSPATH_ROOT));
        cfg.setTemplateLoader(new MultiTemplateLoader(loaders.toArray(TemplateLoader[]::new)));
        cfg.setDefaultEncoding("UTF-8");
        cfg.setOutputEncoding("UTF-8");
        cfg.setLocale(Locale.ROOT);
        cfg.setTimeZone(TimeZone.getTimeZone("UTC"));
        cfg.setNumberFormat("computer");
        cfg.setBooleanFormat("c");
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
        // Records expose their components to templates as properties (device.name).
        cfg.setObjectWrapper(new DefaultObjectWrapperBuilder(Configuration.VERSION_2_3_34).build());
    }

    /** Renders one template; a template problem is reported at its file, line and column. */
    public String render(String templateName, Map<String, Object> data) throws GenerationException {
        try {
            Template t = cfg.getTemplate(templateName);
            StringWriter out = new StringWriter();
            t.process(data, out);
            return out.toString().replace("\r\n", "\n");
        } catch (ParseException e) {
            throw new GenerationException(where(e.getTemplateName(), e.getLineNumber(), e.getColumnNumber())
                    + "error: " + e.getEditorMessage());
        } catch (TemplateException e) {
            throw new GenerationException(where(e.getTemplateSourceName(), e.getLineNumber(), e.getColumnNumber())
                    + "error: " + firstLine(e.getMessageWithoutStackTop()));
        } catch (freemarker.template.TemplateNotFoundException e) {
            throw new GenerationException("error: no template " + templateName);
        } catch (IOException e) {
            throw new GenerationException("error: cannot read template " + templateName + ": " + e.getMessage());
        }
    }

    private String where(String template, Integer line, Integer col) {
        String file = template == null ? "<template>" : template;
        if (overrideDir != null && template != null && Files.isRegularFile(overrideDir.resolve(template))) {
            file = overrideDir.resolve(template).toString();
        } else if (template != null) {
            file = "templates/" + template;
        }
        return file + ":" + (line == null ? 1 : line) + ":" + (col == null ? 1 : col) + ": ";
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
