package dev.avps.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.generator.java.JavaDeviceView;
import dev.avps.generator.java.JavaExpr;
import dev.avps.generator.java.JavaNames;
import dev.avps.model.FeatureExpr;
import dev.avps.model.SpecModel;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The java, java-skeleton and java-tests targets and their helpers. (Compilation and the generated tests run in generated-devices.) */
class JavaTargetsTest {

    @TempDir
    Path dir;

    @Test
    void namesFollowTheSpecAndAvoidKeywords() {
        assertEquals("VirtioBlkConfig", JavaNames.type("virtio_blk_config"));
        assertEquals("blkSize", JavaNames.member("blk_size"));
        assertEquals("default_", JavaNames.member("default"));
        assertEquals("class_", JavaNames.member("class"));
        assertEquals("offset_", JavaNames.member("offset"), "flyweights already have offset()");
        assertEquals("maxLen", JavaNames.member("MAX_LEN"));
        assertEquals("VIRTIO_BLK_T_IN", JavaNames.constant("VIRTIO_BLK_T_IN"));
        assertEquals("_9p", JavaNames.type("9p"));
        assertEquals("dev.avps.generated.blk", JavaNames.packageFor("dev.avps.generated.{device}", "blk"));
        assertEquals("x.video_decoder", JavaNames.packageFor("x.{device}", "video_decoder"));
        assertThrows(IllegalArgumentException.class, () -> JavaNames.packageFor("a.int.{device}", "blk"));
        assertThrows(IllegalArgumentException.class, () -> JavaNames.packageFor("a..b", "blk"));
    }

    @Test
    void expressionsAndLiterals() {
        FeatureExpr e = new FeatureExpr.Or(new FeatureExpr.Ref("net", "HOST_TSO4", 11),
                new FeatureExpr.Not(new FeatureExpr.Ref("net", "MQ", 22)));
        assertEquals("(f.has(11)) || (!(f.has(22)))", JavaExpr.feature(e, "f"));
        assertEquals("FeatureSet.of(11, 22)", JavaExpr.refMask(e));
        assertEquals("f.has(70)", JavaExpr.feature(new FeatureExpr.Ref("net", "IPSEC", 70), "f"));
        assertEquals("255", JavaExpr.literal(BigInteger.valueOf(255), 1));
        assertEquals("2147483648L", JavaExpr.literal(BigInteger.valueOf(0x80000000L), 4));
        assertEquals("0xFFFFFFFFFFFFFFFFL", JavaExpr.literal(new BigInteger("18446744073709551615"), 8));
        assertEquals("a &lt;b&gt; *&#47; &amp;", JavaExpr.doc("a <b> */ &"));
    }

    @Test
    void blkGetsOneFilePerConceptAndADispatchingBase() throws Exception {
        SpecModel model = TestSpecs.model(TestSpecs.BLK);
        List<GeneratedFile> files = GenerateFixture.render(model, GeneratorOptions.defaults(), "java");
        List<String> paths = files.stream().map(GeneratedFile::path).toList();
        for (String f : List.of("BlkFeatures", "VirtioBlkConfig", "VirtioBlkGeometry", "VirtioBlkOuthdr", "VirtioBlkType",
                "VirtioBlkStatus", "BlkConstants", "ReadRequest", "WriteRequest", "BlkDeviceBase")) {
            assertTrue(paths.contains("dev/avps/generated/blk/" + f + ".java"), f + " in " + paths);
        }
        assertFalse(paths.contains("dev/avps/generated/blk/BlkDevice.java"), "the user class is java-skeleton's");
        String config = GenerateFixture.file(files, "/VirtioBlkConfig.java");
        assertTrue(config.contains("public long blkSize() {\n        return $get4($base + 20, false);"), config);
        assertTrue(config.contains("public VirtioBlkGeometry geometry()"));
        String features = GenerateFixture.file(files, "/BlkFeatures.java");
        assertTrue(features.contains("public static final long WCE = FLUSH;"));
        assertTrue(features.contains("<b>Legacy</b>"));
        assertTrue(features.contains("public static final long VERSION_1 = 1L << 32;"));
        String base = GenerateFixture.file(files, "/BlkDeviceBase.java");
        assertTrue(base.contains("long selector = (chain.readIntLE(0) & 0xffffffffL);"), base);
        assertTrue(base.contains("if (selector == 4L || selector == 5L) {\n                    return onFlush($flush.wrap(queue, chain));"));
        assertTrue(base.contains("protected abstract int onRead(ReadRequest request) throws VirtqueueException;"));
        assertTrue(base.contains("return onUnknownRequest(queue, chain, selector);"));
        String read = GenerateFixture.file(files, "/ReadRequest.java");
        assertTrue(read.contains("$put1($limit - 1, false, value);"), "status is addressed from the end: " + read);
    }

    @Test
    void featureChecksComeFromRequires() {
        SpecModel model = TestSpecs.model(Path.of("../spec-models/src/main/avps/virtio/net.avps"));
        JavaDeviceView j = JavaDeviceView.of(model.devices().get(0), model, GeneratorOptions.DEFAULT_JAVA_PACKAGE);
        JavaDeviceView.Feature ecn = j.features().stream().filter(f -> f.name().equals("GUEST_ECN")).findFirst()
                .orElseThrow();
        assertEquals("GUEST_TSO4 || GUEST_TSO6", ecn.requiresText());
        assertEquals("(features.has(7)) || (features.has(8))", ecn.requires());
        assertEquals("FeatureSet.of(7, 8)", ecn.requiresMask());
        JavaDeviceView.Feature rss = j.features().stream().filter(f -> f.name().equals("RSS_CONTEXT")).findFirst()
                .orElseThrow();
        assertEquals(64, rss.bit());
        assertEquals("FeatureSet.of(64)", rss.mask(), "a long cannot hold bit 64");
        assertEquals("FeatureSet", rss.javaType());
        JavaDeviceView.Dispatch control = j.dispatch().stream().filter(d -> d.queue().name().equals("controlq"))
                .findFirst().orElseThrow();
        assertEquals(0, control.offset());
        assertEquals(1, control.width());
    }

    /**
     * Java shifts a long by the distance modulo 64, so {@code 1L << 64} is bit 0: no generated
     * source of the whole catalog may shift by 64 or more (net has bits 64..70).
     */
    @Test
    void noGeneratedShiftReaches64() throws Exception {
        SpecModel catalog = TestSpecs.model(Path.of("../spec-models/src/main/avps"));
        List<GeneratedFile> files = GenerateFixture.render(catalog, GeneratorOptions.defaults(), "java", "java-tests",
                "java-skeleton");
        java.util.regex.Pattern shift = java.util.regex.Pattern.compile("<<\\s*\\(?\\s*(\\d+)");
        List<String> wide = new java.util.ArrayList<>();
        int shifts = 0;
        for (GeneratedFile f : files) {
            java.util.regex.Matcher m = shift.matcher(f.content());
            while (m.find()) {
                shifts++;
                if (Integer.parseInt(m.group(1)) >= 64) {
                    wide.add(f.path() + ": " + m.group());
                }
            }
        }
        assertTrue(shifts > 100, "the scan must see the feature masks: " + shifts);
        assertEquals(List.of(), wide);
        String net = GenerateFixture.file(files, "/NetFeatures.java");
        assertTrue(net.contains("public static final FeatureSet RSS_CONTEXT = FeatureSet.of(64);"), net);
        assertTrue(net.contains("public static final int IPSEC_BIT = 70;"), net);
    }

    @Test
    void theSkeletonIsWrittenOnceAndThenBelongsToTheUser() throws Exception {
        SpecModel model = TestSpecs.model(TestSpecs.BLK);
        List<GeneratedFile> files = GenerateFixture.render(model, GeneratorOptions.defaults().withJavaPackage("my.{device}"),
                "java-skeleton");
        assertEquals(List.of("my/blk/BlkDevice.java"), files.stream().map(GeneratedFile::path).toList());
        assertTrue(files.get(0).userOwned());
        assertFalse(GeneratedMarker.isPresent(files.get(0).content()), "no marker: it is the user's file");
        OutputWriter.Summary first = new OutputWriter(dir).write(files);
        assertEquals(List.of("my/blk/BlkDevice.java"), first.written());
        Path user = dir.resolve("my/blk/BlkDevice.java");
        Files.writeString(user, "// my backend\n");
        OutputWriter.Summary second = new OutputWriter(dir).write(files);
        assertEquals(List.of(), second.written());
        assertEquals(List.of("my/blk/BlkDevice.java"), second.unchanged());
        assertEquals("// my backend\n", Files.readString(user));
    }

    @Test
    void testsGoToTheTestRoot() throws Exception {
        Target t = TargetRegistry.builtIn().select(List.of("java-tests")).get(0);
        assertEquals(Target.Root.TEST_SOURCES, t.root());
        List<GeneratedFile> files = GenerateFixture.render(TestSpecs.model(TestSpecs.BLK), GeneratorOptions.defaults(),
                "java-tests");
        String test = GenerateFixture.file(files, "/BlkGeneratedTest.java");
        assertTrue(test.contains("void onReadHandlesRead()"));
        assertTrue(test.contains("c.blkSize("), test);
    }
}
