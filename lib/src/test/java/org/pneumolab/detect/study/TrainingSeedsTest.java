package org.pneumolab.detect.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.data.DataConfig;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.metrics.DetectionBootstrap;
import org.pneumolab.metrics.SeedSpread;
import org.pneumolab.runtime.Profile;
import org.pneumolab.synth.SampleGenerator;
import org.pneumolab.synth.SampleSpec;

/**
 * K training seeds per model, through {@link DetectionStudy#open} and {@code run(contenders, K)}, on a tiny configuration (40 generated patients, 2 epochs): K = 2
 * gives two runs with different training seeds on the same split, their spread is reported, the
 * first seed's run is the K = 1 run, and a second study with the same seeds reuses both runs
 * and gives the same numbers.
 */
class TrainingSeedsTest {
    @Test
    void twoSeedsPerModelWithTheirSpread(@TempDir Path tmp) throws Exception {
        SampleGenerator.generate(SampleSpec.defaults().withSeed(3).withRsna(40).withKermany(0).withSizes(128, 900, 2000),
                tmp.resolve("sample"));
        ProblemLog log = ProblemLog.quiet();
        DataConfig config = new DataConfig(tmp, Optional.empty(), Optional.empty(), tmp.resolve("sample"),
                tmp.resolve("cache"), tmp.resolve("runs"));
        StudySpec spec = StudySpec.forProfile(Profile.SAMPLE, 5).withEpochs(2);
        DetectionStudy study = DetectionStudy.open(config, spec, log);

        StudyResult k2 = study.run(List.of(Contender.RETINANET), 2);
        assertEquals(2, k2.trainingSeeds());
        SeedSpread s = k2.acrossSeeds(Contender.RETINANET, DetectionBootstrap.FP_PER_IMAGE);
        assertEquals(List.of(5L, DetectionStudy.trainingSeed(spec, 1)), s.seeds());
        assertTrue(Double.isFinite(s.mean()) && Double.isFinite(s.sd()), s.toString());
        assertTrue(s.toString().contains("K=2 training seeds"), s.toString());
        assertTrue(k2.intervals().stringColumn("RSNA metric over training seeds").get(0).contains("K=2"));

        // the two seeds trained different networks
        var first = k2.outcome(Contender.RETINANET);
        StudyResult k1 = study.run(List.of(Contender.RETINANET));
        assertTrue(k1.outcome(Contender.RETINANET).reused(), "the first seed's run is the K=1 run");
        assertEquals(first.heldOut().ap50(), k1.outcome(Contender.RETINANET).heldOut().ap50(), 0.0);
        List<ModelOutcome> runs = k2.seedRuns(Contender.RETINANET);
        assertEquals(2, runs.size());
        assertEquals(List.of(5L, DetectionStudy.trainingSeed(spec, 1)),
                runs.stream().map(ModelOutcome::trainingSeed).toList());
        assertNotEquals(runs.get(0).runName(), runs.get(1).runName(), "each training seed has its own run");
        assertNotEquals(runs.get(0).history().series("train_loss")[0], runs.get(1).history().series("train_loss")[0]);

        // same seeds again: reused, same spread
        StudyResult again = DetectionStudy.open(config, spec, log).run(List.of(Contender.RETINANET), 2);
        assertTrue(again.seedRuns(Contender.RETINANET).stream().allMatch(ModelOutcome::reused), "both seeds' runs reused");
        assertEquals(s.mean(), again.acrossSeeds(Contender.RETINANET, DetectionBootstrap.FP_PER_IMAGE).mean(), 0.0);
    }
}
