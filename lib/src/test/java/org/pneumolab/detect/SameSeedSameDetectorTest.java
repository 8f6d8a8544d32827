package org.pneumolab.detect;

import org.pneumolab.data.DetectionBatch;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.image.AugmentSpec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.geom.Detection;
import org.pneumolab.runtime.NativeThreads;
import org.pneumolab.runtime.Profile;

/**
 * Same seed, same detector: two independent trainings (separate run stores, so nothing is
 * reused) give bit-identical losses and scores. This holds because the native thread count is a
 * fixed rule (NativeThreads), not the machine's load: a different count reorders float sums.
 */
class SameSeedSameDetectorTest {
    private static double[] train(Path dir, DetectorTrainer.Input train, DetectionBatch val) throws Exception {
        var cfg = RetinaNetTrainingTest.small();
        var run = DetectorTrainer.train(new RunStore(dir), "blobs", RetinaNet.create(cfg),
                sd -> RetinaNet.restore(cfg, sd), train, new DetectorTrainer.Settings(2, 8, 7),
                (det, epoch) -> Map.of());
        double[] losses = run.history().series("train_loss");
        var detections = run.detector().detect(val, new PostProcess(0.05, 0.5, 5, 1.0));
        double[] scores = detections.stream().flatMap(d -> d.detections().stream())
                .mapToDouble(Detection::score).toArray();
        double[] out = new double[losses.length + scores.length];
        System.arraycopy(losses, 0, out, 0, losses.length);
        System.arraycopy(scores, 0, out, losses.length, scores.length);
        return out;
    }

    @Test
    void twoTrainingsWithTheSameSeedAreBitIdentical(@TempDir Path tmp) throws Exception {
        if (System.getenv("PNEUMO_THREADS") == null && System.getProperty("pneumo.threads") == null) {
            assertEquals(1, NativeThreads.useProfile(Profile.SAMPLE), "sample profile default");
        }
        // augmented and prefetched on worker threads: still the same bits
        ImagePipeline pipeline = SyntheticBlobs.pipeline(64, tmp.resolve("cache"));
        var train = new DetectorTrainer.Input(SyntheticBlobs.files(tmp.resolve("train"), 32, 64, 0.33, 1), pipeline,
                AugmentSpec.detection(), ProblemLog.quiet());
        DetectionBatch val = SyntheticBlobs.load(SyntheticBlobs.files(tmp.resolve("val"), 8, 64, 0.25, 2), pipeline);
        double[] a = train(tmp.resolve("a"), train, val);
        double[] b = train(tmp.resolve("b"), train, val);
        assertArrayEquals(a, b, 0.0);
        // resumed after epoch 1 (a fresh JVM would read the same checkpoint): the same bits again
        var cfg = RetinaNetTrainingTest.small();
        DetectorTrainer.train(new RunStore(tmp.resolve("c")), "blobs", RetinaNet.create(cfg),
                sd -> RetinaNet.restore(cfg, sd), train, new DetectorTrainer.Settings(1, 8, 7), (det, epoch) -> Map.of());
        double[] c = train(tmp.resolve("c"), train, val);
        // (epoch 1's loss comes back from the history file, printed to fewer digits: compared from epoch 2 on)
        assertArrayEquals(java.util.Arrays.copyOfRange(a, 1, a.length), java.util.Arrays.copyOfRange(c, 1, c.length), 0.0);
    }
}
