package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.data.DetectionBatch;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.ProblemLog;


import org.pneumolab.runtime.NativeThreads;
import org.pneumolab.runtime.Profile;

/**
 * Faster R-CNN, trained through {@link DetectorTrainer} as the study trains it: with negatives it
 * learns the synthetic blobs (recall at IoU 0.5 on held-out blobs rises well above the untrained
 * model's), and in the published no-negatives mode no image without a box ever reaches a training
 * step (every batch it is given is recorded).
 */
class FasterRcnnLearnsTest {

    /** Passes everything through to a Faster R-CNN and records the boxes of every image it trains on. */
    static final class Recording implements Detector {
        final FasterRcnn inner;
        final List<Integer> boxesPerTrainedImage = new ArrayList<>();

        Recording(FasterRcnn inner) {
            this.inner = inner;
        }

        @Override public String configJson() { return inner.configJson(); }
        @Override public String initNote() { return inner.initNote(); }
        @Override public SameDiff graph() { return inner.graph(); }
        @Override public boolean trainsOn(DetectionSample s) { return inner.trainsOn(s); }
        @Override public Map<String, Double> losses(DetectionBatch b, long seed) { return inner.losses(b, seed); }
        @Override public List<ImageDetections> detect(DetectionBatch b, PostProcess pp) { return inner.detect(b, pp); }

        @Override
        public Map<String, Double> fitBatch(DetectionBatch batch, long stepSeed) {
            batch.boxes().forEach(b -> boxesPerTrainedImage.add(b.size()));
            return inner.fitBatch(batch, stepSeed);
        }
    }

    @Test
    void withoutNegativesNoNegativeImageIsTrainedOn(@TempDir Path tmp) throws Exception {
        NativeThreads.useProfile(Profile.SAMPLE);
        ImagePipeline pipeline = SyntheticBlobs.pipeline(64, tmp.resolve("cache"));
        List<DetectionSample> files = SyntheticBlobs.files(tmp.resolve("train"), 24, 64, 0.5, 1);
        long positives = files.stream().filter(s -> !s.boxes().isEmpty()).count();
        assertTrue(positives > 0 && positives < files.size(), "the fixture needs both kinds: " + positives);
        var train = new DetectorTrainer.Input(files, pipeline, AugmentSpec.none(), ProblemLog.quiet());
        var cfg = FasterRcnnTest.tiny(true, false);
        Recording spy = new Recording(FasterRcnn.create(cfg));
        DetectorTrainer.train(new RunStore(tmp.resolve("runs")), "no-neg", spy, sd -> new Recording(FasterRcnn.restore(cfg, sd)),
                train, new DetectorTrainer.Settings(1, 4, 7), null);
        assertEquals(positives, spy.boxesPerTrainedImage.size(), "every positive image, once: " + spy.boxesPerTrainedImage);
        assertTrue(spy.boxesPerTrainedImage.stream().allMatch(n -> n > 0), "a negative image was trained on: "
                + spy.boxesPerTrainedImage);
    }

    @Test
    void learnsTheBlobsWithNegatives(@TempDir Path tmp) throws Exception {
        NativeThreads.useProfile(Profile.SAMPLE);
        ImagePipeline pipeline = SyntheticBlobs.pipeline(64, tmp.resolve("cache"));
        var train = new DetectorTrainer.Input(SyntheticBlobs.files(tmp.resolve("train"), 64, 64, 0.25, 1), pipeline,
                AugmentSpec.none(), ProblemLog.quiet());
        List<DetectionSample> val = SyntheticBlobs.files(tmp.resolve("val"), 24, 64, 0.25, 2);
        PostProcess pp = new PostProcess(0.05, 0.3, 3, 1.0);
        // the unit tests' tiny detector, a little wider and faster-learning, so a few epochs show it
        var cfg = FasterRcnnTest.tiny(false, false).with(c -> c.rpnChannels(16).fcWidth(32).learningRate(5e-3));
        double before = RetinaNetTrainingTest.recall50(FasterRcnn.create(cfg), val, pipeline, pp);
        var r = DetectorTrainer.train(new RunStore(tmp.resolve("runs")), "frcnn", FasterRcnn.create(cfg),
                sd -> FasterRcnn.restore(cfg, sd), train, new DetectorTrainer.Settings(EPOCHS, 8, 7), null);
        double after = RetinaNetTrainingTest.recall50(r.detector(), val, pipeline, pp);
        double[] losses = r.history().series("train_loss");
        System.err.printf("Faster R-CNN blobs: val recall@0.5 %.3f untrained -> %.3f trained; train_loss %s%n",
                before, after, java.util.Arrays.toString(losses));
        assertTrue(losses[losses.length - 1] < 0.8 * losses[0], "training loss should fall: " + java.util.Arrays.toString(losses));
        assertTrue(after >= before + 0.3, "recall before " + before + " after " + after);
    }

    static final int EPOCHS = 8;
}
