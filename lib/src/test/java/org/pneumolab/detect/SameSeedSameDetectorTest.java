package org.pneumolab.detect;

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
    private static double[] train(Path dir, List<DetectionSample> train, List<DetectionSample> val) throws Exception {
        var cfg = RetinaNetTrainingTest.small();
        var run = DetectorTrainer.train(new RunStore(dir), "blobs", RetinaNet.create(cfg),
                sd -> RetinaNet.restore(cfg, sd), train, new DetectorTrainer.Settings(2, 8, 7),
                (det, epoch) -> Map.of());
        double[] losses = run.history().series("train_loss");
        var detections = run.detector().detect(val, new PostProcess(0.05, 0.5, 5, 1.0));
        double[] scores = detections.images().stream().flatMap(d -> d.detections().stream())
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
        List<DetectionSample> train = SyntheticBlobs.make(32, 64, 0.33, 1);
        List<DetectionSample> val = SyntheticBlobs.make(8, 64, 0.25, 2);
        double[] a = train(tmp.resolve("a"), train, val);
        double[] b = train(tmp.resolve("b"), train, val);
        assertArrayEquals(a, b, 0.0);
    }
}
