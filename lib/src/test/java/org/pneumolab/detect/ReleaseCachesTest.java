package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;

import org.pneumolab.data.DetectionBatch;

/**
 * {@link Detector#releaseCaches} frees SameDiff's per-session array caches and nothing else: a
 * detector that releases them between steps and inference calls trains and detects exactly as
 * one that keeps them, and the caches it held are gone (closed, and their sessions forgotten).
 */
class ReleaseCachesTest {

    @Test
    void retinaNetTrainsAndDetectsTheSameWithItsCachesReleased() {
        RetinaNetConfig c = RetinaNetConfig.paper(22).with(b -> b.backbone(InferenceCopyFixtures.SMALL_BOTTLENECK)
                .inputSize(32).fpnChannels(4).headConvs(1).anchorScale(0.5).learningRate(1e-2));
        sameWithAndWithoutRelease(() -> RetinaNet.withRandomValues(c), 32);
    }

    @Test
    void fasterRcnnTrainsAndDetectsTheSameWithItsCachesReleased() {
        FasterRcnnConfig c = FasterRcnnConfig.paper(31, false).with(b -> b.backbone(InferenceCopyFixtures.SMALL_BOTTLENECK)
                .inputSize(64).rpnChannels(8).anchorSizes(16, 32).pooledSize(3).fcWidth(16).samplesPerImage(16, 8)
                .proposals(50, 8));
        sameWithAndWithoutRelease(() -> FasterRcnn.withRandomValues(c), 64);
    }

    @Test
    void aTrainingStepClosesTheOldInferenceCopysSessions() {
        RetinaNetConfig c = RetinaNetConfig.paper(5).with(b -> b.backbone(InferenceCopyFixtures.SMALL_BOTTLENECK)
                .inputSize(32).fpnChannels(4).headConvs(1).anchorScale(0.5));
        RetinaNet d = RetinaNet.withRandomValues(c);
        DetectionBatch batch = SyntheticBlobs.batch(2, 32, 0.5, 7);
        d.fitBatch(batch, 0);
        d.detect(batch, PostProcess.DEFAULT);
        SameDiff old = d.inferenceGraph();
        assertFalse(old.getSessions().isEmpty(), "detect ran a session on the inference copy");
        d.fitBatch(batch, 1);
        assertTrue(old.getSessions().isEmpty(), "the stale copy's session (and its cache) is closed, not left to the GC");
        assertNotSame(old, d.inferenceGraph());
    }

    private static void sameWithAndWithoutRelease(Supplier<SameDiffDetector<?>> build, int size) {
        SameDiffDetector<?> kept = build.get();
        SameDiffDetector<?> released = build.get();
        for (int step = 0; step < 5; step++) {
            DetectionBatch batch = SyntheticBlobs.batch(2, size, 0.5, 100 + step);
            Map<String, Double> a = kept.fitBatch(batch, step);
            Map<String, Double> b = released.fitBatch(batch, step);
            assertEquals(a, b, "step " + step + " losses");
            DetectionBatch eval = SyntheticBlobs.batch(3, size, 0.5, 500 + step);
            assertEquals(a = kept.losses(eval, 9), released.losses(eval, 9), "step " + step + " held-out losses");
            List<ImageDetections> da = kept.detect(eval, PostProcess.DEFAULT);
            List<ImageDetections> db = released.detect(eval, PostProcess.DEFAULT);
            assertEquals(da, db, "step " + step + " detections");
            if (step % 2 == 1) {
                SameDiff copy = released.inferenceGraph();
                assertFalse(copy.getSessions().isEmpty());
                assertFalse(released.graph().getSessions().isEmpty(), "losses() ran a session on the training graph");
                released.releaseCaches();
                assertTrue(copy.getSessions().isEmpty(), "the inference copy's caches are closed");
                assertTrue(released.graph().getSessions().isEmpty(), "the training graph's caches are closed");
            }
        }
        assertEquals(kept.graph().getTrainingConfig().getIterationCount(),
                released.graph().getTrainingConfig().getIterationCount());
    }
}
