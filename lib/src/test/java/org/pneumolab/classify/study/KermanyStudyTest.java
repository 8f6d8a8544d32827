package org.pneumolab.classify.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.classify.ClassWeights;
import org.pneumolab.classify.WeightsSource;
import org.pneumolab.data.DataConfig;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.notebook.Profile;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/**
 * Fixed-seed check that the SAMPLE profile's study learns the synthetic Kermany data with both
 * bases (random init, no ImageNet weights offline): test-split ROC AUC clearly above chance.
 */
class KermanyStudyTest {
    private static final long SEED = 2;
    @TempDir
    static Path dir;
    static DataConfig dataConfig;

    @BeforeAll
    static void sample() throws Exception {
        SampleGenerator.generate(SampleSpec.defaults().withSeed(SEED).withRsna(0).withKermany(400)
                .withSizes(64, 160, 220), dir.resolve("sample"));
        dataConfig = new DataConfig(dir, Optional.empty(), Optional.empty(), dir.resolve("sample"),
                dir.resolve("cache"), dir.resolve("runs"));
    }

    private static KermanyStudy study() throws Exception {
        return KermanyStudy.open(StudyConfig.forProfile(Profile.SAMPLE, SEED), dataConfig, ProblemLog.quiet());
    }

    @Test
    void vgg16Learns() throws Exception {
        KermanyStudy s = study();
        var b = s.vgg16();
        assertEquals(WeightsSource.Kind.RANDOM, b.weights().kind());
        ModelRun run = s.trainHead("VGG16", b, ClassWeights.none());
        System.out.println(run.experiment().report());
        System.out.println(s.timings().table());
        assertEquals("test", run.experiment().split());
        assertTrue(run.experiment().report().metric("roc_auc").value() > 0.7);
    }

    @Test
    void inceptionLearns() throws Exception {
        KermanyStudy s = study();
        ModelRun run = s.trainHead("InceptionV3", s.inceptionV3(), ClassWeights.none());
        System.out.println(run.experiment().report());
        System.out.println(s.timings().table());
        assertTrue(run.experiment().report().metric("roc_auc").value() > 0.7);
    }
}
