package dev.avps.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.avps.model.SpecModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The c-linux header of virtio-blk must be a drop-in for Linux's include/linux/virtio_blk.h: the
 * same macros with the same values and the same struct layouts, checked by compiling against
 * both. Linux's numbers come from a probe compiled against Linux's header alone, since both
 * headers use the same include guard.
 */
class CLinuxTargetTest {

    static final Path LINUX_BLK = Path.of("/usr/include/linux/virtio_blk.h");

    /** Struct members both headers declare, as Linux names them. */
    static final Map<String, List<String>> COMMON = new LinkedHashMap<>();

    static {
        COMMON.put("virtio_blk_config", List.of("capacity", "size_max", "seg_max", "geometry", "blk_size",
                "physical_block_exp", "alignment_offset", "min_io_size", "opt_io_size", "wce", "unused", "num_queues",
                "max_discard_sectors", "max_discard_seg", "discard_sector_alignment", "max_write_zeroes_sectors",
                "max_write_zeroes_seg", "write_zeroes_may_unmap", "unused1", "max_secure_erase_sectors",
                "max_secure_erase_seg", "secure_erase_sector_alignment"));
        COMMON.put("virtio_blk_geometry", List.of("cylinders", "heads", "sectors"));
        COMMON.put("virtio_blk_outhdr", List.of("type", "ioprio", "sector"));
        COMMON.put("virtio_blk_discard_write_zeroes", List.of("sector", "num_sectors", "flags"));
    }

    /** Structs whose whole size must match (the config grew in VIRTIO 1.4, so only its fields are compared). */
    static final List<String> SAME_SIZE = List.of("virtio_blk_geometry", "virtio_blk_outhdr",
            "virtio_blk_discard_write_zeroes");

    @TempDir
    static Path dir;

    static Path include;

    @BeforeAll
    static void generate() throws Exception {
        assumeTrue(CompilerRun.gccAvailable(), "gcc is not installed (.ci/run installs it)");
        assumeTrue(Files.exists(LINUX_BLK), "linux-libc-dev is not installed (.ci/run installs it)");
        SpecModel blk = TestSpecs.model(TestSpecs.BLK);
        include = GenerateFixture.write(blk, dir.resolve("blk"), "c-linux").resolve("include");
    }

    @Test
    void blkMacrosAndLayoutsEqualLinux() throws Exception {
        String ours = Files.readString(include.resolve("linux/virtio_blk.h"));
        List<String> macros = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^#define\\s+(VIRTIO_BLK_\\w+)\\s+\\S").matcher(Files.readString(LINUX_BLK));
        while (m.find()) {
            if (Pattern.compile("(?m)^#define\\s+" + m.group(1) + "\\s").matcher(ours).find()) {
                macros.add(m.group(1));
            }
        }
        for (String core : List.of("VIRTIO_BLK_F_SIZE_MAX", "VIRTIO_BLK_F_RO", "VIRTIO_BLK_F_MQ", "VIRTIO_BLK_F_DISCARD",
                "VIRTIO_BLK_F_BARRIER", "VIRTIO_BLK_F_FLUSH", "VIRTIO_BLK_F_WCE", "VIRTIO_BLK_T_IN", "VIRTIO_BLK_T_OUT",
                "VIRTIO_BLK_T_GET_ID", "VIRTIO_BLK_S_OK", "VIRTIO_BLK_S_UNSUPP", "VIRTIO_BLK_ID_BYTES")) {
            assertTrue(macros.contains(core), core + " must be defined like Linux does");
        }
        // What Linux's header says, printed by a program that sees only Linux's header.
        StringBuilder probe = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <linux/virtio_blk.h>\n"
                + "int main(void) {\n");
        for (String macro : macros) {
            probe.append("  printf(\"_Static_assert((").append(macro).append(") == %lluULL, \\\"").append(macro)
                    .append("\\\");\\n\", (unsigned long long)(").append(macro).append("));\n");
        }
        for (Map.Entry<String, List<String>> s : COMMON.entrySet()) {
            for (String f : s.getValue()) {
                probe.append("  printf(\"_Static_assert(offsetof(struct ").append(s.getKey()).append(", ").append(f)
                        .append(") == %zu, \\\"").append(s.getKey()).append('.').append(f).append("\\\");\\n\", offsetof(struct ")
                        .append(s.getKey()).append(", ").append(f).append("));\n");
            }
        }
        for (String s : SAME_SIZE) {
            probe.append("  printf(\"_Static_assert(sizeof(struct ").append(s).append(") == %zu, \\\"sizeof ").append(s)
                    .append("\\\");\\n\", sizeof(struct ").append(s).append("));\n");
        }
        probe.append("  return 0;\n}\n");
        Path probeC = Files.writeString(dir.resolve("probe.c"), probe);
        Path exe = dir.resolve("probe");
        CompilerRun.run(List.of("gcc", "-std=gnu11", "-o", exe.toString(), probeC.toString()));
        String asserts = CompilerRun.run(List.of(exe.toString()));
        assertTrue(asserts.contains("offsetof(struct virtio_blk_config, num_queues) == 34"), asserts);

        Path check = Files.writeString(dir.resolve("check.c"),
                "#include <stddef.h>\n#include <linux/virtio_blk.h>\n" + asserts);
        String text = Files.readString(check);
        assertTrue(text.contains("VIRTIO_BLK_F_RO"), "the check covers macros");
        CompilerRun.run(List.of("gcc", "-Wall", "-Werror", "-std=gnu11", "-fsyntax-only", "-I", include.toString(),
                check.toString()));
    }

    /** Code written against Linux's header compiles unchanged against ours (ours shadows Linux's via -I). */
    @Test
    void driverCodeCompilesAgainstBothHeaders() throws Exception {
        Path driver = Files.writeString(dir.resolve("driver.c"), """
                #include <linux/virtio_blk.h>
                int probe(struct virtio_blk_config *c, struct virtio_blk_outhdr *h, unsigned long long features)
                {
                	struct virtio_blk_discard_write_zeroes range = { 0 };
                	h->type = VIRTIO_BLK_T_IN;
                	h->sector = 0;
                	if (features & (1ULL << VIRTIO_BLK_F_RO))
                		return VIRTIO_BLK_S_IOERR;
                	if (features & (1ULL << VIRTIO_BLK_F_WCE))
                		c->wce = 1;
                	range.flags = VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP;
                	return c->geometry.heads + c->num_queues + VIRTIO_ID_BLOCK + VIRTIO_BLK_ID_BYTES
                		+ (int)range.flags + (int)sizeof(c->unused1);
                }
                """);
        // Our device ID sits beside Linux's, under a name Linux does not use, with the same value.
        Path ids = Files.writeString(dir.resolve("ids.c"), """
                #include <linux/virtio_ids.h>
                #include <linux/virtio_blk.h>
                _Static_assert(VIRTIO_BLK_DEVICE_ID == VIRTIO_ID_BLOCK, "device ID");
                """);
        CompilerRun.run(List.of("gcc", "-Wall", "-Werror", "-std=gnu11", "-fsyntax-only", "-I", include.toString(),
                ids.toString()));
        try (var linux = Files.list(Path.of("/usr/include/linux"))) {
            for (Path h : linux.filter(p -> p.getFileName().toString().startsWith("virtio")).toList()) {
                assertFalse(Files.readString(h).contains("VIRTIO_BLK_DEVICE_ID"), h + " defines our ID macro");
            }
        }
        CompilerRun.run(List.of("gcc", "-Wall", "-Werror", "-std=gnu11", "-fsyntax-only", driver.toString()));
        String deps = CompilerRun.run(List.of("gcc", "-M", "-std=gnu11", "-I", include.toString(), driver.toString()));
        assertTrue(deps.contains(include.resolve("linux/virtio_blk.h").toString()), "ours must be the one included");
        CompilerRun.run(List.of("gcc", "-Wall", "-Werror", "-std=gnu11", "-fsyntax-only", "-I", include.toString(),
                driver.toString()));
    }

    /** The test spec exercises packed structs, unions, big-endian fields and request parts. */
    @Test
    void demoHeaderCompilesWithTheModelsLayout() throws Exception {
        SpecModel demo = TestSpecs.model(TestSpecs.DEMO);
        Path inc = GenerateFixture.write(demo, dir.resolve("demo"), "c-linux").resolve("include");
        String h = Files.readString(inc.resolve("linux/virtio_demo.h"));
        assertTrue(h.contains("#define VIRTIO_DEMO_DEVICE_ID\t4242\n"), h);
        assertTrue(h.contains("#define VIRTIO_DEMO_F_FANCY_NAME\t3\n"), "feature c-name overrides the macro");
        assertTrue(h.contains("#define VIRTIO_DEMO_F_MANY\tVIRTIO_DEMO_F_MULTI\n"), "alias");
        assertTrue(h.contains("#ifndef VIRTIO_DEMO_NO_LEGACY\n/* Legacy: an old flag. */\n#define VIRTIO_DEMO_F_OLD\t0\n"), h);
        assertTrue(h.contains("\t__be16 x;\n"), h);
        assertTrue(h.contains("\t__virtio32 rate;\n"), h);
        assertTrue(h.contains("} __attribute__((packed));\n\n/* A control message"), "only the packed struct is packed");
        assertEquals(1, h.split("__attribute__\\(\\(packed\\)\\)", -1).length - 1, h);
        assertTrue(h.contains("#define VIRTIO_DEMO_SAMPLE_WRITABLE_CRC_FROM_END\t3\n"), h);
        assertTrue(h.contains("#define VIRTIO_DEMO_CONFIG_FLAGS_MODE\t0x0000000E\n"), h);
        assertFalse(h.contains("RESERVED"), "reserved bit ranges get no macro");
        assertTrue(h.contains("#define VIRTIO_DEMO_BIG\t0x90000000U\n"), h);
        Path check = Files.writeString(dir.resolve("demo-check.c"), "#include <stddef.h>\n#include <linux/virtio_demo.h>\n"
                + LayoutAsserts.forDevice(demo.devices().get(0), ""));
        CompilerRun.run(List.of("gcc", "-Wall", "-Werror", "-std=gnu11", "-fsyntax-only", "-I", inc.toString(),
                check.toString()));
    }

    /** Structs declared before the structs they contain, and a struct with only a flexible array. */
    @Test
    void orderSpecCompiles() throws Exception {
        SpecModel order = TestSpecs.model(Path.of("src/test/resources/specs/order.avps"));
        Path inc = GenerateFixture.write(order, dir.resolve("order"), "c-linux").resolve("include");
        String h = Files.readString(inc.resolve("linux/virtio_order.h"));
        assertTrue(h.indexOf("struct inner {") < h.indexOf("struct outer {"), h);
        assertTrue(h.contains("\t__DECLARE_FLEX_ARRAY(struct inner, items);\n"), h);
        Path check = Files.writeString(dir.resolve("order-check.c"), "#include <stddef.h>\n#include <linux/virtio_order.h>\n"
                + LayoutAsserts.forDevice(order.devices().get(0), ""));
        CompilerRun.run(List.of("gcc", "-Wall", "-Werror", "-std=gnu11", "-fsyntax-only", "-I", inc.toString(),
                check.toString()));
    }

    /**
     * A device header carries the shared types it uses, each behind a guard, and nothing else:
     * blk stays includable next to Linux's virtio_ring.h even when the model holds a struct
     * vring_desc, and two devices using the same shared struct combine in one unit.
     */
    @Test
    void sharedTypesTravelWithTheDevicesThatUseThem() throws Exception {
        SpecModel both = TestSpecs.model(TestSpecs.BLK, Path.of("src/test/resources/specs/shared.avps"));
        Path inc = GenerateFixture.write(both, dir.resolve("shared"), "c-linux").resolve("include");
        String shared = Files.readString(inc.resolve("linux/virtio_avps_shared.h"));
        assertTrue(shared.contains("#ifndef AVPS_SHARED_STRUCT_VRING_DESC\n#define AVPS_SHARED_STRUCT_VRING_DESC\n"),
                shared);
        assertTrue(shared.contains("struct shared_unused {"), "the catalog-wide header has every shared type");
        assertFalse(Files.readString(inc.resolve("linux/virtio_blk.h")).contains("SHARED"), "blk uses no shared type");
        String user2 = Files.readString(inc.resolve("linux/virtio_user2.h"));
        assertTrue(user2.indexOf("struct vring_desc {") < user2.indexOf("struct shared_pair {"), "dependencies first");
        assertTrue(user2.contains("#ifndef SHARED_KIND_CHAINED\n#define SHARED_KIND_CHAINED\t1\n#endif\n"),
                "the enum typing a shared field comes along");
        assertFalse(user2.contains("shared_unused"), user2);
        Path ring = Files.writeString(dir.resolve("ring.c"), """
                #include <linux/virtio_ring.h>
                #include <linux/virtio_blk.h>
                int f(struct vring_desc *d, struct virtio_blk_config *c) { return (int)d->len + (int)c->seg_max; }
                """);
        CompilerRun.run(List.of("gcc", "-Wall", "-Werror", "-std=gnu11", "-fsyntax-only", "-I", inc.toString(),
                ring.toString()));
        Path users = Files.writeString(dir.resolve("users.c"), "#include <stddef.h>\n#include <linux/virtio_user.h>\n"
                + "#include <linux/virtio_user2.h>\n#include <linux/virtio_avps_shared.h>\n"
                + "_Static_assert(offsetof(struct virtio_user_config, extra) == 16, \"extra\");\n"
                + "_Static_assert(sizeof(struct virtio_user2_config) == 32, \"pair\");\n");
        CompilerRun.run(List.of("gcc", "-Wall", "-Werror", "-std=gnu11", "-fsyntax-only", "-I", inc.toString(),
                users.toString()));
        // Linux spells it 0x1: an unguarded second definition would be a redefinition error under -Werror.
        assertTrue(shared.contains("#ifndef VRING_DESC_F_NEXT\n#define VRING_DESC_F_NEXT\t1\n#endif\n"), shared);
        Path guarded = Files.writeString(dir.resolve("guarded.c"), """
                #define VRING_DESC_F_NEXT 0x1
                #include <linux/virtio_avps_shared.h>
                _Static_assert(VRING_DESC_F_NEXT == 1, "one definition");
                """);
        CompilerRun.run(List.of("gcc", "-Wall", "-Werror", "-std=gnu11", "-fsyntax-only", "-I", inc.toString(),
                guarded.toString()));
    }
}
