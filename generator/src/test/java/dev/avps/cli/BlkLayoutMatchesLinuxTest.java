package dev.avps.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `avps layout` on the catalog's virtio-blk must print the offsets Linux's own header gives
 * struct virtio_blk_config, field by field up to num_queues. gcc tells us Linux's offsets.
 */
class BlkLayoutMatchesLinuxTest {

    static final Path HEADER = Path.of("/usr/include/linux/virtio_blk.h");
    static final Path SPEC = Path.of("../spec-models/src/main/avps/virtio/blk.avps");
    /** Linux field name -> the name in our spec, in Linux's order up to num_queues. */
    static final Map<String, String> FIELDS = new LinkedHashMap<>();

    static {
        for (String f : List.of("capacity", "size_max", "seg_max", "geometry", "blk_size", "physical_block_exp",
                "alignment_offset", "min_io_size", "opt_io_size", "wce", "unused", "num_queues")) {
            FIELDS.put(f, f);
        }
        FIELDS.put("wce", "writeback");
        FIELDS.put("unused", "unused0");
    }

    @TempDir
    Path dir;

    @Test
    void offsetsEqualLinux() throws Exception {
        assumeTrue(Files.exists(HEADER), "linux-libc-dev is not installed (.ci/run installs it)");
        assumeTrue(onPath("gcc"), "gcc is not installed (.ci/run installs it)");
        Map<String, Integer> linux = linuxOffsets();
        AvpsCliTest.Run r = AvpsCliTest.run("layout", SPEC.toString(), "blk");
        assertEquals(0, r.status(), r.err());
        Map<String, Integer> ours = new LinkedHashMap<>();
        for (String line : r.out().split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 4 && cols[0].matches("\\d+")) {
                ours.put(cols[3], Integer.parseInt(cols[0]));
            }
        }
        for (Map.Entry<String, String> f : FIELDS.entrySet()) {
            assertEquals(linux.get(f.getKey()), ours.get(f.getValue()), "offset of " + f.getKey());
        }
    }

    private Map<String, Integer> linuxOffsets() throws IOException, InterruptedException {
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <linux/virtio_blk.h>\n"
                + "int main(void) {\n");
        for (String f : FIELDS.keySet()) {
            c.append("  printf(\"").append(f).append(" %zu\\n\", offsetof(struct virtio_blk_config, ").append(f)
                    .append("));\n");
        }
        c.append("  return 0;\n}\n");
        Path src = Files.writeString(dir.resolve("offsets.c"), c);
        Path exe = dir.resolve("offsets");
        exec(List.of("gcc", "-std=gnu11", "-o", exe.toString(), src.toString()));
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String line : exec(List.of(exe.toString())).split("\n")) {
            String[] kv = line.split(" ");
            out.put(kv[0], Integer.parseInt(kv[1]));
        }
        return out;
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(cmd + " failed:\n" + text);
        }
        return text;
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
