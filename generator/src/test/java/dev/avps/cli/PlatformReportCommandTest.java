package dev.avps.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code avps platform-report}: verdicts of several sources merged per statement (a failure
 * anywhere fails it, a pass needs one source that could observe it), the platform failing only on
 * a MUST, and every wrong input named with its file and line.
 */
class PlatformReportCommandTest {

    static final String PLATFORM = """
            package plat;
            import virtio.blk.*;
            import virtio.rng.*;
            /** A small platform. */
            platform tiny {
                version "2.1";
                device blk MUST { MUST offer FLUSH; SHOULD offer SEG_MAX; }
                device rng MAY;
                requirement guest_ok MUST "read <entropy> & more." checked by guest_hwrng;
            }
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) throws Exception {
        Path spec = dir.resolve("tiny.avps");
        Files.writeString(spec, PLATFORM);
        List<String> cli = new ArrayList<>(List.of("platform-report", "../spec-models/src/main/avps/virtio", spec.toString()));
        cli.addAll(List.of(args));
        return AvpsCli.run(new PrintWriter(out), new PrintWriter(err), cli.toArray(String[]::new));
    }

    private Path verdicts(String name, String... lines) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, "boot noise\n" + String.join("\n", lines) + "\n[  1.0] more noise\n");
        return f;
    }

    @Test
    void sourcesMergeAndTheReportsAreWritten() throws Exception {
        Path guest = verdicts("guest.txt", "AVPS-VERDICT\tblk.present\tpass\tvirtio1 (pci)",
                "AVPS-VERDICT\tblk.offer.FLUSH\tpass\tvirtio1 negotiated bit 9",
                "AVPS-VERDICT\tblk.offer.SEG_MAX\tskip\tnot visible",
                // A console can join two writers' text on one line: the tag still counts.
                "login: AVPS-VERDICT\trng.present\tfail\tno virtio device with ID 4",
                "AVPS-VERDICT\tguest_ok\tpass\tvirtio_rng.0 gave 16 bytes");
        Path host = verdicts("host.txt", "AVPS-VERDICT\tblk.present\tpass\tsocket blk.sock",
                "AVPS-VERDICT\tblk.offer.SEG_MAX\tfail\tbit 2 not offered");
        Path html = dir.resolve("out/r.html");
        Path junit = dir.resolve("out/r.xml");
        assertEquals(0, run("--platform", "tiny", "--verdicts", guest.toString(), "--verdicts", host.toString(), "--html",
                html.toString(), "--junit", junit.toString()), err.toString());
        assertEquals("platform tiny 2.1: holds; [3 pass, 0 fail, 1 warn, 1 absent, 0 skip]", out.toString().trim());
        String x = Files.readString(junit);
        assertTrue(x.contains("<testsuite name=\"platform.tiny\" tests=\"5\" failures=\"0\" skipped=\"2\">"), x);
        assertTrue(x.contains("<testcase classname=\"platform.tiny\" name=\"blk.offer.SEG_MAX\">\n"
                + "    <skipped message=\"warn: guest.txt: skip not visible; host.txt: fail bit 2 not offered\"/>"), x);
        String h = Files.readString(html);
        assertTrue(h.contains("The platform holds: no MUST statement failed."), h);
        assertTrue(h.contains("read &lt;entropy&gt; &amp; more."), "statement text escaped: " + h);
        assertTrue(h.contains("<tr id=\"rng.present\" class=\"absent\">"), h);
        assertTrue(h.contains("guest.txt: pass (virtio1 (pci))<br>host.txt: pass (socket blk.sock)"), h);
        assertFalse(Files.list(dir.resolve("out")).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")),
                "no temporary file is left behind");
    }

    @Test
    void aFailedMustFailsThePlatformAndTheExitStatus() throws Exception {
        Path guest = verdicts("guest.txt", "AVPS-VERDICT\tblk.present\tfail\tno virtio device with ID 2",
                "AVPS-VERDICT\tguest_ok\tpass\tok");
        Path junit = dir.resolve("r.xml");
        assertEquals(1, run("--platform", "tiny", "--verdicts", guest.toString(), "--junit", junit.toString()));
        assertTrue(out.toString().startsWith("platform tiny 2.1: fails (blk.present); "), out.toString());
        String x = Files.readString(junit);
        assertTrue(x.contains("<failure message=\"The platform MUST provide a blk device (ID 2)\">guest.txt: fail no virtio device"
                + " with ID 2</failure>"), x);
        // Statements no source reported are skipped, not passed.
        assertTrue(x.contains("name=\"blk.offer.FLUSH\">\n    <skipped message=\"skip: \"/>"), x);
    }

    @Test
    void wrongInputIsNamedWithItsFileAndLine() throws Exception {
        Path bad = verdicts("bad.txt", "AVPS-VERDICT\tblk.present\tmaybe\tx");
        assertEquals(2, run("--platform", "tiny", "--verdicts", bad.toString()));
        assertTrue(err.toString().contains("bad.txt:2: outcome 'maybe' is none of pass, fail, skip"), err.toString());

        Path other = verdicts("other.txt", "AVPS-VERDICT\tnet.present\tpass\tx");
        assertEquals(2, run("--platform", "tiny", "--verdicts", other.toString()));
        assertTrue(err.toString().contains("other.txt:2: platform tiny 2.1 makes no statement 'net.present'"),
                err.toString());

        Path shortLine = verdicts("short.txt", "AVPS-VERDICT\tblk.present");
        assertEquals(2, run("--platform", "tiny", "--verdicts", shortLine.toString()));
        assertTrue(err.toString().contains("short.txt:2: a verdict line needs an ID and an outcome"), err.toString());

        assertEquals(2, run("--platform", "nosuch", "--verdicts", bad.toString()));
        assertTrue(err.toString().contains("no platform 'nosuch'"), err.toString());
        assertTrue(err.toString().contains("known: tiny"), err.toString());

        assertEquals(2, run("--platform", "tiny", "--verdicts", dir.resolve("missing.txt").toString()));
        assertTrue(err.toString().contains("cannot read verdicts"), err.toString());
    }
}
