package org.pneumolab.classify.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.classify.ClassWeights;
import org.pneumolab.classify.FeatureSet;
import org.pneumolab.classify.WeightsSource;
import org.pneumolab.data.DataConfig;
import org.pneumolab.data.KermanyRecord;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.runtime.Profile;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/**
 * The study layer on a small generated sample (VGG16 at 32 px to stay fast): a corrupt image is
 * reported and left out with features still row-aligned to records; features are computed once
 * and then read from the cache; the same seed gives the same scores; results name the test split
 * and the weights; the recall-target threshold reaches its recall on validation.
 */
class KermanyStudyTest {
    private static final long SEED = 2;
    @TempDir
    static Path dir;
    static DataConfig dataConfig;
    static Path corrupt;

    @BeforeAll
    static void sample() throws Exception {
        Path root = dir.resolve("sample");
        SampleGenerator.generate(SampleSpec.defaults().withSeed(SEED).withRsna(0).withKermany(160)
                .withSizes(64, 96, 128), root);
        corrupt = root.resolve("chest_xray/test/NORMAL/IM-9999-0001.jpeg");
        Files.write(corrupt, new byte[]{(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        dataConfig = new DataConfig(dir, Optional.empty(), Optional.empty(), root, dir.resolve("cache"),
                dir.resolve("runs"));
    }

    private static StudyConfig config() {
        return StudyConfig.forProfile(Profile.SAMPLE, SEED).withSizes(32, 75).withEpochs(3, 1)
                .withMaxImagesPerSplit(60);
    }

    @Test
    void corruptImageIsReportedAndSkippedAndFeaturesAlign() throws Exception {
        ProblemLog log = ProblemLog.quiet();
        KermanyStudy s = KermanyStudy.open(config(), dataConfig, log);
        List<KermanyRecord> test = s.data().records("test");
        assertTrue(test.stream().anyMatch(r -> r.image().equals(corrupt)), "the corrupt file is listed");
        List<KermanyRecord> readable = s.data().readable("test", 32);
        assertEquals(test.size() - 1, readable.size());
        assertFalse(readable.stream().anyMatch(r -> r.image().equals(corrupt)));
        assertTrue(log.problems().stream().anyMatch(p -> p.toString().contains("IM-9999-0001.jpeg")),
                "problem names the file: " + log.problems());
        FeatureSet f = s.features(s.vgg16(), s.vgg16().outputVertex(), "test");
        assertEquals(readable.size(), f.size());
        assertArrayEquals(readable.stream().mapToInt(KermanyRecord::label).toArray(), f.classes());
    }

    @Test
    void featuresOnceThenCachedSameSeedSameScores() throws Exception {
        KermanyStudy first = KermanyStudy.open(config(), dataConfig, ProblemLog.quiet());
        assertEquals(WeightsSource.Kind.RANDOM, first.vgg16().weights().kind());
        ModelRun a = first.trainHead("VGG16", first.vgg16(), ClassWeights.none());
        // one VGG16 pass, to the fine-tuned layer's input; the head's block3_pool is computed from that cache
        assertTrue(first.timings().steps().stream().anyMatch(t -> t.name().startsWith("featurize vgg16 block3_conv2 train")),
                first.timings().steps().toString());
        assertTrue(first.timings().steps().stream().anyMatch(t -> t.name().startsWith("from cached block3_conv2 vgg16 block3_pool train")),
                first.timings().steps().toString());
        assertTrue(first.timings().steps().stream().noneMatch(t -> t.name().startsWith("featurize vgg16 block3_pool")),
                "no second pass of the base: " + first.timings().steps());

        KermanyStudy second = KermanyStudy.open(config(), dataConfig, ProblemLog.quiet());
        ModelRun b = second.trainHead("VGG16", second.vgg16(), ClassWeights.none());
        assertTrue(second.timings().steps().stream().noneMatch(t -> t.name().startsWith("featurize")),
                "second study reads every split from the cache: " + second.timings().steps());
        assertArrayEquals(a.test().scores(), b.test().scores(), 0.0);
        ModelRun again = second.trainHead("VGG16 again", second.vgg16(), ClassWeights.none());
        assertSame(b.model(), again.model(), "a head already trained in the study is reused");
        assertEquals("VGG16 again", again.experiment().name());

        assertEquals("test", a.experiment().split());
        assertEquals(a.testRecords().size(), a.test().size());
        assertEquals(a.test().size(), a.experiment().report().n());
        var table = PublishedResults.beside(List.of(a), second.data().description());
        assertEquals(4, table.rowCount());
        assertTrue(table.stringColumn("weights").get(3).startsWith("RANDOM INIT"));
        assertTrue(table.stringColumn("data").get(3).contains("synthetic sample"));
        assertEquals(624 - 118, Math.round(table.doubleColumn("accuracy").get(0) * 624));

        ClassWeightStudy.RecallTarget t = ClassWeightStudy.forRecall(second, b, 0.97);
        assertEquals("val", t.chosen().split());
        assertTrue(t.chosen().recall() >= 0.97);
        assertEquals("test", t.onTest().split());
        assertEquals(t.chosen().threshold(), t.onTest().cm().threshold());
    }

    /** Cache files under {@code cacheDir} whose stored key reads out {@code layer}. */
    private static List<Path> featureFiles(Path cacheDir, String layer) throws Exception {
        List<Path> out = new java.util.ArrayList<>();
        try (var files = Files.list(cacheDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".features")).toList()) {
                try (var in = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(f)))) {
                    in.readUTF();
                    if (in.readUTF().contains("|layer " + layer + "|")) {
                        out.add(f);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void derivedPoolEqualsDirectPassAndACachedPoolLeavesTheFrozenFeaturesAlone() throws Exception {
        // its own cache, so no other test's entries make the first call a hit; a batch size that
        // does not divide the split, and one batch per cache chunk (chunk bytes 1), so the derived
        // features go through several chunks and a short last batch, as the shipped path does
        DataConfig own = new DataConfig(dir, Optional.empty(), Optional.empty(), dataConfig.sampleRoot(),
                dir.resolve("cache-derived"), dir.resolve("runs-derived"));
        StudyConfig c = config().with(b -> b.batchSize(7));
        KermanyStudy s = KermanyStudy.open(c, own, ProblemLog.quiet(), org.pneumolab.weights.WeightsChoice.forProfile(c.profile()), 1);
        int n = s.data().readable("train", 32).size();
        assertTrue(n % 7 != 0 && n > 2 * 7, n + " train images");
        String pool = s.vgg16().outputVertex();
        FeatureSet derived = s.features(s.vgg16(), pool, "train");
        assertTrue(s.timings().steps().stream().anyMatch(t -> t.name().startsWith("featurize vgg16 block3_conv2 train")),
                s.timings().steps().toString());
        assertTrue(s.timings().steps().stream().anyMatch(t -> t.name().startsWith("from cached block3_conv2 vgg16 " + pool + " train")),
                s.timings().steps().toString());

        FeatureSet direct = new org.pneumolab.classify.Featurizer(s.vgg16(), pool)
                .extract(s.data().iterator("train", 32, 7), "train");
        assertArrayEquals(direct.features().shape(), derived.features().shape());
        assertArrayEquals(direct.classes(), derived.classes());
        double scale = direct.features().amaxNumber().doubleValue();
        double diff = direct.features().sub(derived.features()).amaxNumber().doubleValue();
        assertTrue(scale > 0, "non-zero activations");
        assertTrue(diff <= 1e-4 * scale, "derived " + pool + " differs from a direct pass by " + diff + " (max " + scale + ")");

        // With the pool cached, a new study reads it and never loads or recomputes block3_conv2:
        // with that file gone, it must stay gone.
        Path cacheDir = s.featureCacheDir();
        List<Path> frozen = featureFiles(cacheDir, "block3_conv2");
        assertEquals(1, frozen.size(), "one block3_conv2 cache file: " + frozen);
        Files.delete(frozen.get(0));
        KermanyStudy again = KermanyStudy.open(c, own, ProblemLog.quiet(), org.pneumolab.weights.WeightsChoice.forProfile(c.profile()), 1);
        FeatureSet cached = again.features(again.vgg16(), pool, "train");
        assertEquals(derived.features(), cached.features());
        assertEquals(List.of(), featureFiles(cacheDir, "block3_conv2"), "block3_conv2 was computed again");
        assertTrue(again.timings().steps().stream().noneMatch(t -> t.name().contains("block3_conv2")),
                again.timings().steps().toString());
        assertTrue(again.timings().steps().stream().anyMatch(t -> t.name().startsWith("features (cache hit) vgg16 " + pool + " train")),
                again.timings().steps().toString());
    }

    @Test
    void fineTuningLeavesStageOneUntouched() throws Exception {
        KermanyStudy s = KermanyStudy.open(config(), dataConfig, ProblemLog.quiet());
        ModelRun stage1 = s.trainHead("VGG16", s.vgg16(), ClassWeights.none());
        String layer = s.config().vggFineTuneLayer();
        assertEquals("block3_conv3", layer, "the SAMPLE profile fine-tunes the last conv before its cut");
        var conv3 = stage1.model().backbone().graph().getLayer(layer).params().dup();
        double[] before = stage1.model().scoresFromFeatures(s.features(s.vgg16(), "block3_pool", "test").features());
        ModelRun tuned = s.fineTune("VGG16 fine-tuned", stage1);
        assertEquals(conv3, stage1.model().backbone().graph().getLayer(layer).params());
        assertFalse(conv3.equals(tuned.model().backbone().graph().getLayer(layer).params()));
        assertArrayEquals(before, stage1.test().scores(), 1e-6);
        var counts = StudyViews.parameterCounts(List.of(stage1, tuned));
        assertTrue(counts.longColumn("trainable").get(1) > counts.longColumn("trainable").get(0),
                "block3_conv3 is trainable in stage 2");
    }

    @Test
    void twoTrainingSeedsPairedComparisonsAndKeptEpochs() throws Exception {
        // its own cap, so its feature cache entries are its own (another test checks a first featurization)
        StudyConfig c = config().withMaxImagesPerSplit(50);
        KermanyStudy s = KermanyStudy.open(c, dataConfig, ProblemLog.quiet());
        ModelRun vgg = s.trainHead("VGG16", s.vgg16(), ClassWeights.none());
        assertTrue(vgg.keptNote().matches("epoch [1-3] of 3, best val ROC AUC \\(\\d\\.\\d{3}\\)"), vgg.keptNote());

        // K = 2: the run itself, then a head trained with the second training seed on the same features
        List<ModelRun> two = s.seeds(vgg, null, 2);
        assertEquals(2, two.size());
        assertSame(vgg, two.get(0));
        assertEquals(s.trainingSeed(1), two.get(1).trainingSeed());
        assertFalse(java.util.Arrays.equals(vgg.test().scores(), two.get(1).test().scores()));
        var spread = KermanyStudy.spread(two, "roc_auc");
        assertEquals(2, spread.k());
        assertTrue(spread.toString().contains("K=2 training seeds"), spread.toString());
        // same seeds, same numbers
        List<ModelRun> again = KermanyStudy.open(c, dataConfig, ProblemLog.quiet()).seeds(vgg, null, 2);
        assertArrayEquals(two.get(1).test().scores(), again.get(1).test().scores(), 0.0);

        ModelRun inc = s.trainHead("InceptionV3", s.inceptionV3(), ClassWeights.none());
        var v = PairedComparisons.rocAuc(inc, vgg, s.bootstrap());
        assertEquals(inc.experiment().report().metric("roc_auc").value() - vgg.experiment().report().metric("roc_auc").value(),
                v.difference().value(), 1e-12);
        assertTrue(v.sentence().contains("ROC AUC (test, n=" + vgg.test().size() + ")"), v.sentence());

        ModelRun seedWeights = s.trainHead("seed", s.vgg16(), ClassWeights.published());
        String a = ClassWeightStudy.lessonA(List.of(vgg, seedWeights), s.bootstrap());
        // The conclusion is the one its two verdicts call for (each branch: LessonAConclusionTest).
        var ex = ClassWeightStudy.extremes(List.of(vgg, seedWeights), s.bootstrap());
        assertTrue(a.endsWith("\n" + ClassWeightStudy.lessonAConclusion(ex.get(0).outcome(), ex.get(1).outcome())), a);
        var t = ClassWeightStudy.errorsTable(List.of(seedWeights, vgg), s.bootstrap());
        assertEquals(2, t.rowCount());
        assertEquals("1", t.stringColumn("normal : pneumonia").get(0), "rows in ratio order");
    }
}
