package dev.avps.eclipse.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.avps.eclipse.AvpsEclipse;

/**
 * A real workbench (needs a display; CI uses xvfb-run): opening a .avps file from the workspace
 * lands in the Generic Editor, and the built-in highlighter styles keywords, types and doc
 * comments while leaving names alone.
 */
class AvpsEditorWorkbenchTest {
    private static final String TEXT = """
            package demo;

            /** A block device. */
            device blk {
            \tid 2;
            \tspec "1.4";
            \tconfig blk_config {
            \t\tle64 capacity;
            \t}
            }
            """;

    private IWorkbenchPage page;
    private IEditorPart editor;

    @AfterEach
    void closeEditor() {
        if (page != null && editor != null) {
            page.closeEditor(editor, false);
        }
    }

    @Test
    void avpsFileOpensInGenericEditorWithHighlighting() throws Exception {
        IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject("avps-workbench-test");
        if (!project.exists()) {
            project.create(null);
        }
        project.open(null);
        IFile file = project.getFile("blk.avps");
        if (!file.exists()) {
            file.create(new ByteArrayInputStream(TEXT.getBytes(StandardCharsets.UTF_8)), true, null);
        }

        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        if (window == null) {
            window = PlatformUI.getWorkbench().getWorkbenchWindows()[0];
        }
        page = window.getActivePage();
        editor = IDE.openEditor(page, file);
        assertEquals(AvpsEclipse.GENERIC_EDITOR_ID, editor.getSite().getId(), "editor opened for .avps");

        StyledText widget = (StyledText) editor.getAdapter(Control.class);
        assertNotNull(widget, "the editor has no text widget");
        assertEquals(TEXT, widget.getText());

        int keyword = TEXT.indexOf("device blk");
        StyleRange deviceStyle = waitFor(() -> widget.getStyleRangeAtOffset(keyword));
        assertEquals(new RGB(127, 0, 85), deviceStyle.foreground.getRGB(), "keyword colour");
        assertEquals(SWT.BOLD, deviceStyle.fontStyle & SWT.BOLD, "keywords are bold");

        StyleRange typeStyle = widget.getStyleRangeAtOffset(TEXT.indexOf("le64"));
        assertNotNull(typeStyle, "type le64 is not styled");
        assertEquals(new RGB(0, 80, 160), typeStyle.foreground.getRGB());

        StyleRange docStyle = widget.getStyleRangeAtOffset(TEXT.indexOf("A block device"));
        assertNotNull(docStyle, "doc comment is not styled");
        assertEquals(new RGB(63, 95, 191), docStyle.foreground.getRGB());

        StyleRange nameStyle = widget.getStyleRangeAtOffset(TEXT.indexOf("blk {"));
        assertTrue(nameStyle == null || nameStyle.foreground == null && nameStyle.fontStyle == SWT.NORMAL,
                "a device name must keep the default style: " + nameStyle);
    }

    /** Runs the event loop until {@code probe} yields a value (presentation may be applied late). */
    private static <T> T waitFor(Supplier<T> probe) throws InterruptedException {
        Display display = Display.getCurrent();
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            while (display.readAndDispatch()) {
                // drain pending UI work
            }
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no styling appeared within 15 s");
    }
}
