package dev.avps.dsl.scoping;

import java.net.URL;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.resource.ResourceSet;

/**
 * The standard prelude shipped inside the language jar: transport feature bits and device
 * status values that every spec may use without an import.
 */
public final class Prelude {

    /** Packages every file sees as if it had imported them with a wildcard. */
    public static final String[] IMPLICIT_IMPORTS = {"virtio", "virtio.transport"};

    private static final String PATH = "/avps/prelude/virtio.avps";

    private Prelude() {
    }

    public static URI uri() {
        URL url = Prelude.class.getResource(PATH);
        if (url == null) {
            throw new IllegalStateException("the prelude " + PATH + " is missing from the classpath");
        }
        return URI.createURI(url.toString());
    }

    public static boolean isPrelude(Resource r) {
        return r != null && r.getURI() != null && r.getURI().toString().endsWith(PATH.substring(1))
                && r.getURI().equals(uri());
    }

    /** The prelude resource of this resource set, loaded on first use. */
    public static Resource load(ResourceSet rs) {
        return rs.getResource(uri(), true);
    }
}
