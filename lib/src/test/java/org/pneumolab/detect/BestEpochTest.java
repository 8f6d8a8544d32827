package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.data.DetectionBatch;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.geom.Detection;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.runtime.Profile;
import org.pneumolab.runtime.NativeThreads;

/**
 * Model choice by validation per epoch: the trainer keeps the weights of the epoch with the best
 * validation metric, not the last epoch's, says which epoch it kept, and a reused run returns the
 * same kept epoch. The kept weights are those of a run stopped at that epoch (same seed, same
 * batches: training is bit-identical).
 */
class BestEpochTest {
    private static float[] scores(Detector d, DetectionBatch images) {
        var res = d.detect(images, new PostProcess(0.01, 0.5, 5, 1.0));
        double[] s = res.stream().flatMap(x -> x.detections().stream()).mapToDouble(Detection::score).toArray();
        float[] f = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            f[i] = (float) s[i];
        }
        // equal empty arrays would compare nothing
        org.junit.jupiter.api.Assertions.assertTrue(f.length > 0, "no boxes survived the post-processing");
        return f;
    }

    @Test
    void keepsTheEpochWithTheBestValidationMetric(@TempDir Path tmp) throws Exception {
        NativeThreads.useProfile(Profile.SAMPLE);
        var cfg = RetinaNetTrainingTest.small();
        ImagePipeline pipeline = SyntheticBlobs.pipeline(64, tmp.resolve("cache"));
        var train = new DetectorTrainer.Input(SyntheticBlobs.files(tmp.resolve("train"), 24, 64, 0.33, 1), pipeline,
                AugmentSpec.none(), ProblemLog.quiet());
        DetectionBatch val = SyntheticBlobs.load(SyntheticBlobs.files(tmp.resolve("val"), 8, 64, 0.25, 2), pipeline);
        // a scripted validation metric that peaks at epoch 2 of 3 (NaN at epoch 1 is never chosen)
        double[] script = {Double.NaN, 0.5, 0.2};
        DetectorTrainer.Validation v = (det, epoch) -> Map.of("val_score", script[epoch - 1]);
        RunStore store = new RunStore(tmp.resolve("a"));
        var three = DetectorTrainer.train(store, "blobs", RetinaNet.create(cfg), sd -> RetinaNet.restore(cfg, sd), train,
                new DetectorTrainer.Settings(3, 8, 7), v, "val_score");
        assertEquals(2, three.keptEpoch());
        assertTrue(three.keptNote().startsWith("epoch 2 of 3, best val_score (0.500)"), three.keptNote());

        var two = DetectorTrainer.train(new RunStore(tmp.resolve("b")), "blobs", RetinaNet.create(cfg),
                sd -> RetinaNet.restore(cfg, sd), train, new DetectorTrainer.Settings(2, 8, 7), null);
        assertEquals(2, two.keptEpoch());
        assertArrayEquals(scores(two.detector(), val), scores(three.detector(), val), "kept weights = epoch 2's");

        var reused = DetectorTrainer.train(store, "blobs", RetinaNet.create(cfg), sd -> RetinaNet.restore(cfg, sd), train,
                new DetectorTrainer.Settings(3, 8, 7), v, "val_score");
        assertTrue(reused.reused());
        assertEquals(2, reused.keptEpoch());
        assertArrayEquals(scores(three.detector(), val), scores(reused.detector(), val));

        // without a selection metric the last epoch is kept, and said so
        assertEquals("last epoch (2)", two.keptNote());
    }
}
