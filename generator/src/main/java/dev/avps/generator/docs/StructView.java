package dev.avps.generator.docs;

import dev.avps.generator.layout.LayoutRow;
import java.util.List;

/**
 * A struct for the documents: its rows, a size summary, its byte diagram and its declaration in
 * the VIRTIO spec's notation ({@code listing}).
 */
public record StructView(String name, String cName, String doc, boolean config, String sizeText, int size,
        List<LayoutRow> rows, ByteDiagram diagram, String listing) {
}
