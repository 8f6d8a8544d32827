package org.pneumolab.detect;

import org.pneumolab.data.DetectionSample;
import org.pneumolab.data.ImagePipeline;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.image.AugmentSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;

class RetinaNetTrainingTest {
    static RetinaNetConfig small() {
        return RetinaNetConfig.sample(5).with(c -> c.inputSize(64).fpnChannels(16).anchorScale(0.25).learningRate(3e-3));
    }

    /** Recall at IoU 0.5 over all ground-truth boxes (validation split), in original coordinates. */
    static double recall50(Detector d, List<DetectionSample> val, ImagePipeline pipeline, PostProcess pp) {
        List<ImageDetections> res;
        try {
            res = d.detect(SyntheticBlobs.load(val, pipeline), pp);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int hit = 0, total = 0;
        for (int i = 0; i < val.size(); i++) {
            for (Box gt : val.get(i).boxes()) {
                total++;
                if (res.get(i).detections().stream().anyMatch(x -> x.box().iou(gt) >= 0.5)) {
                    hit++;
                }
            }
        }
        return (double) hit / Math.max(1, total);
    }

    @Test
    void learnsSyntheticBlobsAndReusesAndResumesRuns(@TempDir Path tmp) throws Exception {
        ImagePipeline pipeline = SyntheticBlobs.pipeline(64, tmp.resolve("cache"));
        var train = new DetectorTrainer.Input(SyntheticBlobs.files(tmp.resolve("train"), 96, 64, 0.33, 1), pipeline,
                AugmentSpec.none(), ProblemLog.quiet());
        List<DetectionSample> val = SyntheticBlobs.files(tmp.resolve("val"), 32, 64, 0.25, 2);
        PostProcess pp = new PostProcess(0.2, 0.3, 3, 1.0);
        RetinaNet untrained = RetinaNet.create(small());
        double before = recall50(untrained, val, pipeline, pp);

        RunStore store = new RunStore(tmp.resolve("runs"));
        var settings3 = new DetectorTrainer.Settings(3, 8, 7);
        DetectorTrainer.Validation v = (det, epoch) -> Map.of("val_recall50", recall50(det, val, pipeline, pp));
        var first = DetectorTrainer.train(store, "blobs", RetinaNet.create(small()),
                sd -> RetinaNet.restore(small(), sd), train, settings3, v);
        assertFalse(first.reused());
        assertEquals(3, first.history().size());
        assertTrue(Files.exists(tmp.resolve("runs/blobs/config.json")));
        assertTrue(Files.exists(tmp.resolve("runs/blobs/weights-e003.sd")));
        assertFalse(Files.exists(tmp.resolve("runs/blobs/weights-e002.sd")));

        // same config, same epochs: reused, not retrained
        var again = DetectorTrainer.train(store, "blobs", RetinaNet.create(small()),
                sd -> RetinaNet.restore(small(), sd), train, settings3, v);
        assertTrue(again.reused());
        // more epochs: resumes at epoch 3 with weights and updater state from disk
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(said, true, java.nio.charset.StandardCharsets.UTF_8));
        DetectorTrainer.Result<RetinaNet> more;
        try {
            more = DetectorTrainer.train(store, "blobs", RetinaNet.create(small()),
                    sd -> RetinaNet.restore(small(), sd), train, new DetectorTrainer.Settings(15, 8, 7), v);
        } finally {
            System.setOut(stdout);
        }
        assertEquals(3, more.resumedFrom());
        assertTrue(said.toString(java.nio.charset.StandardCharsets.UTF_8).contains("blobs: resumed from epoch 3 of 15"),
                "a resumed run says so: " + said);
        assertEquals(15, more.history().size());
        double after = recall50(more.detector(), val, pipeline, pp);
        double[] losses = more.history().series("train_loss");
        System.err.printf("RetinaNet blobs: val recall@0.5 %.3f untrained -> %.3f trained; train_loss %s; %.2f s/epoch%n",
                before, after, java.util.Arrays.toString(losses), more.secondsPerEpoch());
        assertTrue(losses[14] < losses[0], "training loss should fall");
        assertTrue(after >= 0.5 && after > before + 0.3, "recall before " + before + " after " + after);

        // the competition metric on the held-out blobs clearly beats an empty submission (which
        // scores 0: every positive image then has only misses, negatives are left out)
        Map<String, List<Box>> gt = new java.util.LinkedHashMap<>();
        val.forEach(s -> gt.put(s.id(), s.boxes()));
        Map<String, List<Detection>> preds = new java.util.LinkedHashMap<>();
        more.detector().detect(SyntheticBlobs.load(val, pipeline), pp).forEach(d -> preds.put(d.imageId(), d.detections()));
        double trained = org.pneumolab.metrics.RsnaMetric.evaluate("val-blobs", gt, preds, Map.of()).score();
        double empty = org.pneumolab.metrics.RsnaMetric.evaluate("val-blobs", gt, Map.of(), Map.of()).score();
        System.err.printf("RetinaNet blobs: RSNA metric (val-blobs split) %.3f vs empty submission %.3f%n", trained, empty);
        assertEquals(0.0, empty);
        assertTrue(trained > empty + 0.2, "RSNA metric " + trained + " vs empty " + empty);

        // a different config under the same name is refused with the file named
        var bad = RetinaNetConfig.sample(5).with(c -> c.inputSize(64).fpnChannels(16).anchorScale(0.25).learningRate(1e-2));
        var e = assertThrows(IllegalStateException.class, () -> DetectorTrainer.train(store, "blobs",
                RetinaNet.create(bad), sd -> RetinaNet.restore(bad, sd), train, settings3, null));
        assertTrue(e.getMessage().contains("config.json"));
    }
}
