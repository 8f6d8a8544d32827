package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import org.pneumolab.data.DetectionBatch;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;
import org.pneumolab.geom.ResizeGeometry;

/**
 * Faster R-CNN's inference copy (NHWC, backbone affines folded, the box head reading the C4 map
 * from a placeholder) gives the training graph's RPN outputs and box-head outputs within 1e-4
 * relative L2 error, also after a training step changed the weights; and detect() through it
 * finds the same boxes as the training graph run twice per image, the way detect() worked before.
 */
class FasterRcnnInferenceGraphTest {
    private static final BackboneSpec SMALL_BOTTLENECK = new BackboneSpec("small-bottleneck", 8,
            List.of(16, 16, 32, 32), List.of(1, 1, 1, 1), true);

    private static FasterRcnnConfig config() {
        return FasterRcnnConfig.sample(31, false).with(c -> c.backbone(SMALL_BOTTLENECK).inputSize(64)
                .rpnChannels(8).anchorSizes(16, 32).pooledSize(3).fcWidth(16).samplesPerImage(16, 8)
                .proposals(50, 8).pretrained(false).doublePrecision(false));
    }

    @Test
    void foldedCopyMatchesTheTrainingGraphBeforeAndAfterAStep() {
        FasterRcnnConfig c = config();
        FasterRcnn net = FasterRcnn.create(c);
        RetinaNetInferenceGraphTest.randomiseAffines(net.graph(), 7);
        net.weightsChanged();
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 64, 64);
        assertClose(net, c, x);
        SameDiff frozen = net.inferenceGraph();
        assertFalse(frozen.hasVariable("bn2a_branch2a_scale"), "affines are folded away");
        assertTrue(frozen.hasVariable("res2a_branch2a_W"));

        ResizeGeometry g = ResizeGeometry.stretch(1024, 1024, 64, 64);
        DetectionBatch batch = new DetectionBatch(x.dup(),
                List.of(List.of(g.toTarget(Box.fromXywh(100, 200, 300, 300))), List.of()), List.of("a", "b"),
                List.of(g, g));
        net.fitBatch(batch, 0);
        assertClose(net, c, x);
    }

    @Test
    void detectFindsWhatTheTrainingGraphFinds() {
        FasterRcnnConfig c = config();
        FasterRcnn net = FasterRcnn.create(c);
        RetinaNetInferenceGraphTest.randomiseAffines(net.graph(), 8);
        net.weightsChanged();
        DetectionBatch batch = SyntheticBlobs.batch(3, 64, 0.5, 11);
        PostProcess pp = PostProcess.raw(100);
        List<ImageDetections> got = net.detect(batch, pp);
        for (int i = 0; i < batch.size(); i++) {
            List<Detection> expected = throughTrainingGraph(net, c, batch, i, pp);
            List<Detection> actual = got.get(i).detections();
            assertEquals(expected.size(), actual.size(), "image " + i);
            assertFalse(expected.isEmpty(), "image " + i + " has detections to compare");
            // matched by content, not by rank: near-equal scores may swap places by float rounding
            for (Detection e : expected) {
                boolean found = actual.stream().anyMatch(a -> Math.abs(a.score() - e.score()) < 1e-4
                        && Math.abs(a.box().x1() - e.box().x1()) < 1e-2 && Math.abs(a.box().y1() - e.box().y1()) < 1e-2
                        && Math.abs(a.box().x2() - e.box().x2()) < 1e-2 && Math.abs(a.box().y2() - e.box().y2()) < 1e-2);
                assertTrue(found, "image " + i + ": no detection like " + e);
            }
        }
    }

    /** The old detect(): proposals from the training graph, then the training graph again with the RoIs. */
    private static List<Detection> throughTrainingGraph(FasterRcnn net, FasterRcnnConfig c, DetectionBatch batch,
                                                        int i, PostProcess pp) {
        INDArray image = batch.images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        List<Box> props = net.proposals(image).get(0);
        int map = c.anchors().mapSize(c.inputSize(), 0);
        INDArray interp = RoiAlignMatrix.build(props, new int[props.size()], 1, map, map, FasterRcnnConfig.STRIDE,
                c.pooledSize(), DataType.FLOAT);
        Map<String, INDArray> o = net.graph().output(Map.of("image", image, "roi_interp", interp),
                "roi_logits_out", "roi_deltas_out");
        double[] z = o.get("roi_logits_out").reshape(-1).toDoubleVector();
        double[] d = o.get("roi_deltas_out").reshape(-1).toDoubleVector();
        List<Detection> dets = new java.util.ArrayList<>();
        for (int k = 0; k < props.size(); k++) {
            double score = 1 / (1 + Math.exp(-z[k]));
            if (score < pp.scoreThreshold()) {
                continue;
            }
            Box b = BoxCoder.ROI_HEAD.decode(new double[] {d[4 * k], d[4 * k + 1], d[4 * k + 2], d[4 * k + 3]},
                    props.get(k)).clip(c.inputSize(), c.inputSize());
            if (b.area() > 0) {
                dets.add(new Detection(batch.toOriginal(i, b), score));
            }
        }
        return pp.apply(dets);
    }

    private static void assertClose(FasterRcnn net, FasterRcnnConfig c, INDArray x) {
        Map<String, INDArray> expectedRpn = net.graph().output(Map.of("image", x), "rpn_logits_out", "rpn_deltas_out");
        Map<String, INDArray> got = net.inferenceGraph().output(Map.of("image", x.permute(0, 2, 3, 1).dup()),
                "rpn_logits_out", "rpn_deltas_out", "c4_out");
        for (String k : List.of("rpn_logits_out", "rpn_deltas_out")) {
            assertRelClose(expectedRpn.get(k), got.get(k), k);
        }
        // the box head on a few RoIs of each image, once from the image and once from the C4 map
        int map = c.anchors().mapSize(c.inputSize(), 0);
        for (int i = 0; i < x.size(0); i++) {
            List<Box> rois = List.of(new Box(4, 4, 40, 36), new Box(20, 10, 60, 62), new Box(0, 0, 64, 64));
            INDArray interp = RoiAlignMatrix.build(rois, new int[rois.size()], 1, map, map, FasterRcnnConfig.STRIDE,
                    c.pooledSize(), DataType.FLOAT);
            INDArray xi = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
            INDArray c4i = got.get("c4_out").get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
            Map<String, INDArray> e = net.graph().output(Map.of("image", xi, "roi_interp", interp),
                    "roi_logits_out", "roi_deltas_out");
            Map<String, INDArray> a = net.inferenceGraph().output(Map.of("c4_in", c4i, "roi_interp", interp),
                    "roi_logits_out", "roi_deltas_out");
            for (String k : List.of("roi_logits_out", "roi_deltas_out")) {
                assertRelClose(e.get(k), a.get(k), k + " image " + i);
            }
        }
    }

    private static void assertRelClose(INDArray expected, INDArray got, String what) {
        assertArrayEquals(expected.shape(), got.shape(), what);
        double err = got.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
        assertTrue(err < 1e-4, what + ": relative L2 error " + err);
    }
}
