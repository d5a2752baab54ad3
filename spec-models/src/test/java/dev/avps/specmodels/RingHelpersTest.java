package dev.avps.specmodels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code part of the generated virtio_ring.h (vring_init, vring_size, vring_need_event and the
 * event-index macros) computes what Linux 6.1's does: one program, built once against Linux's
 * header and once against ours, must print the same numbers over sizes, alignments and index
 * values that wrap around 2^16.
 */
class RingHelpersTest {

    private static final String PROGRAM = """
            #include <stdio.h>
            #include <stdlib.h>
            #include <linux/virtio_ring.h>

            int main(void)
            {
            	static const unsigned sizes[] = { 1, 2, 3, 8, 100, 256, 1024, 32768 };
            	static const unsigned long aligns[] = { 2, 64, 4096 };
            	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
            		for (unsigned a = 0; a < sizeof(aligns) / sizeof(aligns[0]); a++) {
            			unsigned bytes = vring_size(sizes[i], aligns[a]);
            			void *mem = aligned_alloc(4096, (bytes + 4095) / 4096 * 4096);
            			struct vring vr;
            			vring_init(&vr, sizes[i], mem, aligns[a]);
            			printf("size %u %lu %u avail %td used %td used_event %td avail_event %td\\n", sizes[i],
            			       aligns[a], bytes, (char *)vr.avail - (char *)mem, (char *)vr.used - (char *)mem,
            			       (char *)&vring_used_event(&vr) - (char *)mem,
            			       (char *)&vring_avail_event(&vr) - (char *)mem);
            			free(mem);
            		}
            	}
            	static const unsigned short values[] = { 0, 1, 2, 7, 100, 32767, 32768, 65534, 65535 };
            	unsigned n = sizeof(values) / sizeof(values[0]);
            	for (unsigned e = 0; e < n; e++)
            		for (unsigned w = 0; w < n; w++)
            			for (unsigned o = 0; o < n; o++)
            				printf("need %u %u %u %d\\n", values[e], values[w], values[o],
            				       vring_need_event(values[e], values[w], values[o]));
            	return 0;
            }
            """;

    @Test
    void ringHelpersComputeWhatLinuxsDo(@TempDir Path dir) throws Exception {
        assumeTrue(LinuxOracle.available(), "gcc or Linux's headers are missing");
        Path include = HeaderFacts.generate(Catalog.load().model(), dir.resolve("generated"));
        assertTrue(Files.isRegularFile(include.resolve("linux/virtio_ring.h")));
        Path src = Files.writeString(dir.resolve("ring.c"), PROGRAM);
        String linux = buildAndRun(dir, src, List.of(), "linux");
        String ours = buildAndRun(dir, src, List.of("-I", include.toString()), "ours");
        assertTrue(linux.lines().count() > 700, "the program must print every case: " + linux.lines().count());
        assertEquals(linux, ours);
    }

    private static String buildAndRun(Path dir, Path src, List<String> includes, String name)
            throws IOException, InterruptedException {
        Path exe = dir.resolve(name);
        List<String> cc = new ArrayList<>(List.of("gcc", "-std=gnu11", "-Wall", "-Werror"));
        cc.addAll(includes);
        cc.addAll(List.of("-o", exe.toString(), src.toString()));
        run(cc);
        return run(List.of(exe.toString()));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, p.exitValue(), () -> command + " failed:\n" + out);
        return out;
    }
}
