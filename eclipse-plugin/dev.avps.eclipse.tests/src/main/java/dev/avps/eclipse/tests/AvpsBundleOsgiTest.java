package dev.avps.eclipse.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.xml.parsers.DocumentBuilderFactory;

import org.eclipse.core.expressions.EvaluationContext;
import org.eclipse.core.expressions.EvaluationResult;
import org.eclipse.core.expressions.Expression;
import org.eclipse.core.expressions.ExpressionConverter;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.content.IContentType;
import org.eclipse.core.runtime.content.IContentTypeManager;
import org.eclipse.jface.text.presentation.IPresentationReconciler;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.avps.eclipse.AvpsEclipse;
import dev.avps.eclipse.highlight.AvpsPresentationReconciler;
import dev.avps.eclipse.lsp.AvpsLanguageServerFactory;
import dev.avps.eclipse.lsp.ServerProcess;

/**
 * The bundle in a headless OSGi runtime without LSP4E and TM4E: it resolves, its contributions
 * are registered, the optional ones point at files that exist, and the packaged language server
 * starts with this JRE and answers {@code initialize}.
 */
class AvpsBundleOsgiTest {

    private static Bundle bundle() {
        Bundle bundle = Platform.getBundle(AvpsEclipse.BUNDLE_ID);
        assertNotNull(bundle, AvpsEclipse.BUNDLE_ID + " is not installed");
        return bundle;
    }

    private static IConfigurationElement ours(String extensionPoint, String elementName) {
        List<IConfigurationElement> found = new ArrayList<>();
        for (IConfigurationElement element : Platform.getExtensionRegistry().getConfigurationElementsFor(extensionPoint)) {
            if (AvpsEclipse.BUNDLE_ID.equals(element.getContributor().getName()) && elementName.equals(element.getName())) {
                found.add(element);
            }
        }
        assertEquals(1, found.size(), "contributions of " + AvpsEclipse.BUNDLE_ID + " to " + extensionPoint);
        return found.get(0);
    }

    @Test
    void bundleResolvesWithoutLsp4eAndTm4e() {
        assertTrue((bundle().getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) != 0,
                "state " + bundle().getState());
        assertNull(Platform.getBundle("org.eclipse.lsp4e"), "this runtime is meant to lack LSP4E");
        assertNull(Platform.getBundle("org.eclipse.tm4e.ui"), "this runtime is meant to lack TM4E");
    }

    @Test
    void avpsFilesHaveTheirTextContentType() {
        IContentTypeManager manager = Platform.getContentTypeManager();
        IContentType type = manager.findContentTypeFor("virtio-blk.avps");
        assertNotNull(type, "no content type for .avps");
        assertEquals(AvpsEclipse.CONTENT_TYPE_ID, type.getId());
        assertTrue(type.isKindOf(manager.getContentType(IContentTypeManager.CT_TEXT)));
    }

    @Test
    void genericEditorIsBoundToTheContentType() {
        IConfigurationElement binding = ours("org.eclipse.ui.editors", "editorContentTypeBinding");
        assertEquals(AvpsEclipse.CONTENT_TYPE_ID, binding.getAttribute("contentTypeId"));
        assertEquals(AvpsEclipse.GENERIC_EDITOR_ID, binding.getAttribute("editorId"));
    }

    @Test
    void builtInHighlighterIsRegisteredAndEnabledWithoutTm4e() throws CoreException {
        IConfigurationElement reconciler = ours("org.eclipse.ui.genericeditor.presentationReconcilers", "presentationReconciler");
        assertEquals(AvpsEclipse.CONTENT_TYPE_ID, reconciler.getAttribute("contentType"));
        Object instance = reconciler.createExecutableExtension("class");
        assertTrue(instance instanceof AvpsPresentationReconciler && instance instanceof IPresentationReconciler);

        // Evaluate enabledWhen the way the Generic Editor does: an Object as default variable.
        IConfigurationElement[] enabledWhen = reconciler.getChildren("enabledWhen");
        assertEquals(1, enabledWhen.length);
        Expression expression = ExpressionConverter.getDefault().perform(enabledWhen[0].getChildren()[0]);
        assertEquals(EvaluationResult.TRUE, expression.evaluate(new EvaluationContext(null, new Object())));
    }

    /** LSP4E and TM4E are absent here, so check their contributions in plugin.xml directly. */
    @Test
    void optionalContributionsPointAtShippedFiles() throws Exception {
        Document pluginXml;
        try (InputStream in = bundle().getEntry("plugin.xml").openStream()) {
            pluginXml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        Element grammar = single(pluginXml, "grammar");
        assertNotNull(bundle().getEntry(grammar.getAttribute("path")), grammar.getAttribute("path"));
        Element binding = single(pluginXml, "scopeNameContentTypeBinding");
        assertEquals(grammar.getAttribute("scopeName"), binding.getAttribute("scopeName"));
        assertEquals(AvpsEclipse.CONTENT_TYPE_ID, binding.getAttribute("contentTypeId"));
        Element languageConfiguration = single(pluginXml, "languageConfiguration");
        assertNotNull(bundle().getEntry(languageConfiguration.getAttribute("path")));
        assertEquals(AvpsEclipse.CONTENT_TYPE_ID, languageConfiguration.getAttribute("contentTypeId"));

        Element server = single(pluginXml, "server");
        assertEquals(AvpsLanguageServerFactory.class.getName(), server.getAttribute("class"));
        Element mapping = single(pluginXml, "contentTypeMapping");
        assertEquals(server.getAttribute("id"), mapping.getAttribute("id"));
        assertEquals(AvpsEclipse.CONTENT_TYPE_ID, mapping.getAttribute("contentType"));

        // And the grammar file really is the TextMate grammar for that scope.
        URL grammarUrl = bundle().getEntry(grammar.getAttribute("path"));
        try (InputStream in = grammarUrl.openStream()) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(json.contains("\"scopeName\": \"" + grammar.getAttribute("scopeName") + "\""));
        }
    }

    private static Element single(Document document, String tag) {
        NodeList nodes = document.getElementsByTagName(tag);
        assertEquals(1, nodes.getLength(), "<" + tag + "> elements in plugin.xml");
        return (Element) nodes.item(0);
    }

    @Test
    void factoryExplainsThatLsp4eIsMissing() {
        CoreException e = assertThrows(CoreException.class, () -> new AvpsLanguageServerFactory().create());
        assertTrue(e.getMessage().contains("LSP4E"), e.getMessage());
    }

    @Test
    void packagedServerStartsAndAnswersInitialize() throws Exception {
        List<String> command = AvpsLanguageServerFactory.serverCommand();
        Path jar = Path.of(command.get(command.size() - 1));
        assertTrue(Files.size(jar) > 1_000_000, "server jar looks truncated: " + jar);
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toString(), command.get(0));

        // LSP4E always sends a root; the Xtext server answers initialize with an error without one.
        String rootUri = Files.createTempDirectory("avps-ls-root").toUri().toString();
        ServerProcess server = new ServerProcess(command);
        ExecutorService io = Executors.newFixedThreadPool(2);
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            server.start();
            io.submit(() -> server.getErrorStream().transferTo(stderr));
            send(server.getOutputStream(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                    + "{\"processId\":null,\"rootUri\":\"" + rootUri + "\",\"capabilities\":{}}}");
            Future<String> response = io.submit(() -> {
                while (true) {
                    String message = receive(server.getInputStream());
                    if (message.contains("\"id\":1") || message.contains("\"id\": 1")) {
                        return message;
                    }
                }
            });
            String initialized = response.get(60, TimeUnit.SECONDS);
            assertTrue(initialized.contains("\"capabilities\""), initialized + "\nstderr: " + stderr);
            assertTrue(initialized.contains("textDocumentSync"), initialized);

            send(server.getOutputStream(), "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}");
            send(server.getOutputStream(), "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
        } finally {
            server.stop();
            io.shutdownNow();
        }
    }

    private static void send(OutputStream out, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** Reads one LSP message (headers, blank line, body of Content-Length bytes). */
    private static String receive(InputStream in) throws IOException {
        int length = -1;
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("server closed its output");
            }
            if (c == '\n') {
                String header = line.toString().trim();
                line.setLength(0);
                if (header.isEmpty()) {
                    if (length >= 0) {
                        break;
                    }
                    continue;
                }
                if (header.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring("content-length:".length()).trim());
                }
            } else {
                line.append((char) c);
            }
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
