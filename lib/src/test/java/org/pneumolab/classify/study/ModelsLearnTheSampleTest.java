package org.pneumolab.classify.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.classify.ClassWeights;
import org.pneumolab.classify.FeatureScaling;
import org.pneumolab.classify.WeightsSource;
import org.pneumolab.data.DataConfig;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.metrics.BinaryMetrics;
import org.pneumolab.runtime.Profile;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/**
 * Issue 4's "each model learns the sample": the SAMPLE profile exactly as notebooks 02 and 03 run
 * it (random-init bases, since no ImageNet weights can be had here), on 400 Kermany films of the
 * generated sample with a fixed seed. Each model's test-split ROC AUC must be clearly above
 * chance: above 0.7, and the lower end of its 95% bootstrap interval above 0.5.
 * <p>
 * A control keeps the test honest: the same VGG16 cut with the published study's raw-activation head
 * (FeatureScaling.NONE) stays near chance, so the margin comes from standardisation rather than
 * from an easy split.
 */
class ModelsLearnTheSampleTest {
    private static final long SEED = 2;
    @TempDir
    static Path dir;
    static DataConfig dataConfig;

    @BeforeAll
    static void sample() throws Exception {
        Path root = dir.resolve("sample");
        // 400 Kermany films, the sample's size when this test was written; RSNA is not needed here.
        // On the grown default sample (about 1,800 films) the control's raw-activation head
        // learns too (test ROC AUC 0.714 measured), so the control is only meaningful at this size.
        SampleGenerator.generate(SampleSpec.defaults().withSeed(SEED).withRsna(0).withKermany(400), root);
        dataConfig = new DataConfig(dir, Optional.empty(), Optional.empty(), root, dir.resolve("cache"),
                dir.resolve("runs"));
    }

    private static double testAuc(ModelRun run) {
        assertEquals("test", run.experiment().split());
        return BinaryMetrics.rocAuc(run.test().scores(), run.test().labels());
    }

    @Test
    void vgg16AndInceptionV3LearnTheSampleOnTheSampleProfile() throws Exception {
        StudyConfig config = StudyConfig.forProfile(Profile.SAMPLE, SEED);
        KermanyStudy study = KermanyStudy.open(config, dataConfig, ProblemLog.quiet());
        assertEquals(WeightsSource.Kind.RANDOM, study.vgg16().weights().kind());

        ModelRun vgg = study.trainHead("VGG16", study.vgg16(), ClassWeights.none());
        ModelRun inception = study.trainHead("InceptionV3", study.inceptionV3(), ClassWeights.none());
        ModelRun tuned = study.fineTune("VGG16 fine-tuned", vgg);
        for (ModelRun run : new ModelRun[]{vgg, inception, tuned}) {
            double auc = testAuc(run);
            var ci = run.experiment().report().metric("roc_auc");
            assertEquals(auc, ci.value(), 1e-9);
            System.out.printf("%s: test ROC AUC %s on %d images%n", run.name(), ci, run.test().size());
            assertTrue(auc > 0.7, run.name() + " test ROC AUC " + auc);
            assertTrue(ci.lo() > 0.5, run.name() + " 95% interval reaches chance: " + ci);
        }
    }

    @Test
    void withoutStandardisationTheSameCutStaysNearChance() throws Exception {
        StudyConfig config = StudyConfig.forProfile(Profile.SAMPLE, SEED).withFeatureScaling(FeatureScaling.NONE);
        KermanyStudy study = KermanyStudy.open(config, dataConfig, ProblemLog.quiet());
        double auc = testAuc(study.trainHead("VGG16 raw", study.vgg16(), ClassWeights.none()));
        System.out.printf("VGG16 block3_pool, published head on raw activations: test ROC AUC %.3f%n", auc);
        assertTrue(auc < 0.65, "raw-activation head AUC " + auc);
    }
}
