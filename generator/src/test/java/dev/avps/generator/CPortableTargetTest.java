package dev.avps.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.avps.model.SpecModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The c-portable headers: plain C11, their own layout asserts, working byte-order accessors. */
class CPortableTargetTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void needGcc() {
        assumeTrue(CompilerRun.gccAvailable(), "gcc is not installed (.ci/run installs it)");
    }

    @Test
    void headersCompileAsStrictC11WithoutLinuxHeaders() throws Exception {
        Path inc = dir.resolve("strict/include");
        new OutputWriter(dir.resolve("strict")).write(GenerateFixture.render(TestSpecs.model(TestSpecs.BLK),
                GeneratorOptions.defaults(), "c-portable"));
        new OutputWriter(dir.resolve("strict")).write(GenerateFixture.render(TestSpecs.model(TestSpecs.DEMO),
                GeneratorOptions.defaults(), "c-portable"));
        String demo = Files.readString(inc.resolve("avps_virtio_demo.h"));
        assertFalse(demo.contains("linux/"), "no Linux headers");
        assertTrue(demo.contains("_Static_assert(offsetof(struct avps_virtio_demo_config, rate) == 32"), demo);
        assertTrue(demo.contains("_Static_assert(sizeof(struct avps_virtio_demo_packed) == 7"), demo);
        Path unit = Files.writeString(dir.resolve("strict.c"),
                "#include \"avps_virtio_blk.h\"\n#include \"avps_virtio_demo.h\"\n#include <stddef.h>\n"
                        + LayoutAsserts.forDevice(TestSpecs.device(TestSpecs.DEMO), "avps_")
                        + LayoutAsserts.forDevice(TestSpecs.device(TestSpecs.BLK), "avps_"));
        CompilerRun.run(List.of("gcc", "-Wall", "-Wextra", "-Werror", "-std=c11", "-pedantic", "-fsyntax-only",
                "-I", inc.toString(), unit.toString()));
    }

    /** Accessors store in wire order whatever the host order, and read back what they stored. */
    @Test
    void accessorsUseWireByteOrder() throws Exception {
        Path inc = dir.resolve("run/include");
        new OutputWriter(dir.resolve("run")).write(GenerateFixture.render(TestSpecs.model(TestSpecs.DEMO),
                GeneratorOptions.defaults(), "c-portable"));
        Path main = Files.writeString(dir.resolve("main.c"), """
                #include <stdio.h>
                #include <string.h>
                #include "avps_virtio_demo.h"
                int main(void)
                {
                	struct avps_virtio_demo_config c;
                	const uint8_t *b = (const uint8_t *)&c;
                	memset(&c, 0, sizeof c);
                	avps_virtio_demo_config_serial_set(&c, 0x0102030405060708ULL);
                	avps_virtio_demo_config_origin_x_set(&c, 0xA1B2);
                	avps_virtio_demo_config_name_set(&c, 7, 0x7F);
                	uint8_t part[10] = { 0 };
                	avps_virtio_demo_sample_writable_crc_set(part, sizeof part, 0xBEEF);
                	avps_virtio_demo_sample_writable_status_set(part, sizeof part, 2);
                	printf("%02x%02x %02x%02x %02x %llx %x %02x%02x%02x %x\\n", b[0], b[7], b[16], b[17], b[31],
                	       (unsigned long long)avps_virtio_demo_config_serial_get(&c),
                	       avps_virtio_demo_config_origin_x_get(&c), part[7], part[8], part[9],
                	       avps_virtio_demo_sample_writable_crc_get(part, sizeof part));
                	return 0;
                }
                """);
        Path exe = dir.resolve("main");
        CompilerRun.run(List.of("gcc", "-Wall", "-Werror", "-std=c11", "-I", inc.toString(), "-o", exe.toString(),
                main.toString()));
        assertEquals("0801 a1b2 7f 102030405060708 a1b2 efbe02 beef\n", CompilerRun.run(List.of(exe.toString())));
    }

    /** With another prefix every identifier moves, so Linux's header and ours coexist in one program. */
    @Test
    void prefixOptionRenamesEverythingAndCoexistsWithLinux() throws Exception {
        SpecModel blk = TestSpecs.model(TestSpecs.BLK);
        List<GeneratedFile> files = GenerateFixture.render(blk, GeneratorOptions.defaults().withCPrefix("hv_"),
                "c-portable");
        String h = GenerateFixture.file(files, "include/hv_virtio_blk.h");
        assertTrue(h.contains("struct hv_virtio_blk_config {"), h);
        assertTrue(h.contains("#define HV_VIRTIO_BLK_F_RO\t5\n"), h);
        assertFalse(h.contains("avps_"), "no default prefix left");
        new OutputWriter(dir.resolve("hv")).write(files);
        assumeTrue(Files.exists(Path.of("/usr/include/linux/virtio_blk.h")), "linux-libc-dev is not installed");
        Path unit = Files.writeString(dir.resolve("both.c"),
                "#include <linux/virtio_blk.h>\n#include \"hv_virtio_blk.h\"\n"
                        + "_Static_assert(HV_VIRTIO_BLK_F_RO == VIRTIO_BLK_F_RO, \"same bit\");\n");
        CompilerRun.run(List.of("gcc", "-Wall", "-Werror", "-std=gnu11", "-fsyntax-only", "-I",
                dir.resolve("hv/include").toString(), unit.toString()));
    }

    /** A struct whose only member is a flexible array still compiles as C11 (with GNU C's empty struct). */
    @Test
    void flexibleArrayOnlyStructCompiles() throws Exception {
        dev.avps.model.SpecModel order = TestSpecs.model(Path.of("src/test/resources/specs/order.avps"));
        new OutputWriter(dir.resolve("order")).write(GenerateFixture.render(order, GeneratorOptions.defaults(),
                "c-portable"));
        Path unit = Files.writeString(dir.resolve("order.c"), "#include \"avps_virtio_order.h\"\n"
                + LayoutAsserts.forDevice(order.devices().get(0), "avps_").replaceAll("(?m)^.*avps_list, items_empty_.*$", ""));
        CompilerRun.run(List.of("gcc", "-Wall", "-Werror", "-std=c11", "-fsyntax-only", "-I",
                dir.resolve("order/include").toString(), unit.toString()));
    }

    /** Shared structs carried by two device headers and the shared header combine in one C11 unit. */
    @Test
    void sharedTypesCombine() throws Exception {
        dev.avps.model.SpecModel model = TestSpecs.model(Path.of("src/test/resources/specs/shared.avps"));
        new OutputWriter(dir.resolve("shared")).write(GenerateFixture.render(model, GeneratorOptions.defaults(),
                "c-portable"));
        Path unit = Files.writeString(dir.resolve("shared.c"), "#include \"avps_virtio_user.h\"\n"
                + "#include \"avps_virtio_user2.h\"\n#include \"avps_shared.h\"\n"
                + "uint16_t f(struct avps_virtio_user2_config *c) { return avps_shared_pair_second_flags_get(&c->pair); }\n");
        CompilerRun.run(List.of("gcc", "-Wall", "-Werror", "-std=c11", "-fsyntax-only", "-I",
                dir.resolve("shared/include").toString(), unit.toString()));
    }
}
