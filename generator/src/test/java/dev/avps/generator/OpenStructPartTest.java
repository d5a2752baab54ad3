package dev.avps.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.avps.generator.layout.LayoutRow;
import dev.avps.generator.layout.LayoutRows;
import dev.avps.model.DeviceModel;
import dev.avps.model.FieldLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A struct ending in a run-time sized array ({@code le32 count; item items[count];}) used as a
 * request field is one struct of that type: laid out, documented and emitted as such, not as an
 * open-ended array of it.
 */
class OpenStructPartTest {

    static final Path SPEC = Path.of("src/test/resources/specs/open-struct.avps");

    @TempDir
    Path dir;

    @Test
    void theLayoutKeepsOneStructAndPlacesWhatFollowsAfterIt() {
        DeviceModel d = TestSpecs.device(SPEC);
        FieldLayout list = d.requests().get(0).readable().field("list").orElseThrow();
        assertEquals(FieldLayout.ArrayKind.NONE, list.arrayKind(), "one struct, not an array of them");
        assertTrue(list.isOpenStruct());
        assertEquals(4, list.size(), "its fixed part: the count");
        FieldLayout cookie = d.requests().get(0).readable().field("cookie").orElseThrow();
        assertEquals(FieldLayout.OffsetBase.AFTER, cookie.base(), "the count says where the list ends");
        assertEquals("list", cookie.anchor());
        List<LayoutRow> rows = LayoutRows.flattened(d.requests().get(0).readable());
        LayoutRow row = rows.stream().filter(r -> r.name().equals("list")).findFirst().orElseThrow();
        assertEquals("lists_item_list", row.type());
        assertEquals("4+count*8", row.size());
        assertTrue(rows.stream().anyMatch(r -> r.name().equals("list.items") && r.type().equals("lists_item[count]")),
                "its members are listed under it");
    }

    @Test
    void docsShowTheStructNotAnArray() throws Exception {
        String md = GenerateFixture.file(GenerateFixture.render(TestSpecs.model(SPEC), GeneratorOptions.defaults(),
                "docs-md"), "md/virtio_lists.md");
        assertTrue(md.contains("| 4 | 4+count*8 | `lists_item_list` | `list` |"), md);
        assertTrue(md.contains("| list+0 | 4 | `le32` | `cookie` |"), md);
    }

    @Test
    void cEmitsTheStructWithItsFlexibleMemberAsTheLastMemberOfThePart() throws Exception {
        List<GeneratedFile> files = GenerateFixture.render(TestSpecs.model(SPEC), GeneratorOptions.defaults(),
                "c-linux");
        String h = GenerateFixture.file(files, "virtio_lists.h");
        assertTrue(h.contains("struct lists_item_list {\n\t__le32 count;\n\t/* (length: count) */\n\tstruct lists_item items[];\n};"), h);
        assertTrue(h.contains("\t__le16 flags;\n\tstruct lists_item_list list;\n};"), h);
        assertTrue(h.contains("VIRTIO_LISTS_PUT_READABLE_COOKIE_AFTER_LIST\t0"), h);
        assumeTrue(CompilerRun.gccAvailable(), "gcc missing");
        Path include = GenerateFixture.write(TestSpecs.model(SPEC), dir.resolve("out"), "c-linux").resolve("include");
        Path c = Files.writeString(dir.resolve("use.c"), """
                #include <linux/virtio_lists.h>
                _Static_assert(sizeof(struct virtio_lists_put_readable) == 8, "fixed part");
                _Static_assert(__builtin_offsetof(struct virtio_lists_put_readable, list) == 4, "list");
                unsigned f(struct virtio_lists_put_readable *r) { return r->list.items[1].b; }
                """);
        CompilerRun.run(List.of("gcc", "-Wall", "-Werror", "-std=gnu11", "-fsyntax-only", "-I", include.toString(),
                c.toString()));
    }

    @Test
    void javaGetsAFlyweightWhoseCountSizesTheArray() throws Exception {
        String java = GenerateFixture.file(GenerateFixture.render(TestSpecs.model(SPEC), GeneratorOptions.defaults(),
                "java"), "PutRequest.java");
        assertTrue(java.contains("public ListsItemList list() {"), java);
        assertTrue(java.contains("return list().$length();"), "the list's length comes from its count");
        String list = GenerateFixture.file(GenerateFixture.render(TestSpecs.model(SPEC), GeneratorOptions.defaults(),
                "java"), "ListsItemList.java");
        assertTrue(list.contains("return ($base + 4) + ((count()) * 8) - $base;"), list);
    }
}
