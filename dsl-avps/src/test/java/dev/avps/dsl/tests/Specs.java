package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.inject.Inject;
import com.google.inject.Provider;
import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.semantic.SemanticModelBuilder;
import dev.avps.model.DeviceModel;
import dev.avps.model.SpecModel;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.documentation.IEObjectDocumentationProvider;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.testing.util.ParseHelper;

/** Shared test fixture: parses spec snippets, alone or several in one resource set. */
public class Specs {

    @Inject
    private ParseHelper<Model> parser;

    @Inject
    private Provider<XtextResourceSet> resourceSets;

    @Inject
    private IEObjectDocumentationProvider docs;

    /** Parses a snippet; the text is the whole file. */
    public Model parse(String text) {
        try {
            // A resource set of its own: snippets parsed one after another must not see each other
            // (they would be the same device declared twice).
            Model m = parser.parse(text, resourceSets.get());
            assertNotNull(m, "the parser returned nothing");
            return m;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Parses several files into one resource set, so they can reference each other. */
    public List<Model> parseAll(String... texts) {
        XtextResourceSet rs = resourceSets.get();
        List<Model> out = new ArrayList<>();
        try {
            for (int i = 0; i < texts.length; i++) {
                out.add(parser.parse(texts[i], URI.createURI("file:/specs/f" + i + ".avps"), rs));
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return out;
    }

    /** Wraps device members in a package and a minimal device header. */
    public static String device(String members) {
        return "package t;\n/** d */\ndevice dev {\n\tid 99;\n\tspec \"1.4\";\n" + members + "\n}\n";
    }

    public Model parseDevice(String members) {
        return parse(device(members));
    }

    public SpecModel model(Model... models) {
        return new SemanticModelBuilder(docs::getDocumentation).build(List.of(models));
    }

    public DeviceModel deviceModel(String members) {
        SpecModel m = model(parseDevice(members));
        assertEquals(1, m.devices().size());
        return m.devices().get(0);
    }

    public static Device firstDevice(Model m) {
        return (Device) m.getElements().stream().filter(Device.class::isInstance).findFirst().orElseThrow();
    }
}
