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

/**
 * Faster R-CNN's inference copy (NHWC, backbone affines folded, the box head reading the C4 map
 * from a placeholder) gives the training graph's RPN outputs and box-head outputs within 1e-4
 * relative L2 error, also after a training step changed the weights; and detect() through it
 * finds the same boxes as the training graph run twice per image, the way detect() worked before.
 */
class FasterRcnnInferenceGraphTest {
    private static FasterRcnnConfig config() {
        return FasterRcnnConfig.sample(31, false).with(c -> c.backbone(InferenceCopyFixtures.SMALL_BOTTLENECK).inputSize(64)
                .rpnChannels(8).anchorSizes(16, 32).pooledSize(3).fcWidth(16).samplesPerImage(16, 8)
                .proposals(50, 8).pretrained(false).doublePrecision(false));
    }

    /** A new network with random affines (see {@link InferenceCopyFixtures#randomiseAffines}). */
    private static FasterRcnn randomised(FasterRcnnConfig c, long seed) {
        FasterRcnn net = FasterRcnn.create(c);
        InferenceCopyFixtures.randomiseAffines(net.graph(), seed);
        net.weightsChanged();
        return net;
    }

    @Test
    void foldedCopyMatchesTheTrainingGraphBeforeAndAfterAStep() {
        FasterRcnnConfig c = config();
        FasterRcnn net = randomised(c, 7);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 64, 64);
        assertClose(net, c, x);
        SameDiff frozen = net.inferenceGraph();
        assertFalse(frozen.hasVariable("bn2a_branch2a_scale"), "affines are folded away");
        assertTrue(frozen.hasVariable("res2a_branch2a_W"));

        net.fitBatch(InferenceCopyFixtures.oneBoxThenNone(x), 0);
        assertClose(net, c, x);
    }

    @Test
    void detectFindsWhatTheTrainingGraphFinds() {
        FasterRcnnConfig c = config();
        FasterRcnn net = randomised(c, 8);
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
        return net.boxesFromRois(batch, i, props, o, pp);
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
