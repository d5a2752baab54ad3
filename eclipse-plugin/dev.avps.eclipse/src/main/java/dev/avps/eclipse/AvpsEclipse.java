package dev.avps.eclipse;

/** Identifiers shared by plugin.xml, the code and the tests, kept in one place. */
public final class AvpsEclipse {
    /** The symbolic name of this bundle. */
    public static final String BUNDLE_ID = "dev.avps.eclipse";
    /** The content type of {@code .avps} files (plugin.xml). */
    public static final String CONTENT_TYPE_ID = "dev.avps.eclipse.avps";
    /** The Generic Editor, which opens {@code .avps} files. */
    public static final String GENERIC_EDITOR_ID = "org.eclipse.ui.genericeditor.GenericEditor";
    /** Where the build puts the language server inside this bundle. */
    public static final String SERVER_JAR_ENTRY = "server/avps-language-server.jar";

    private AvpsEclipse() {
    }
}
