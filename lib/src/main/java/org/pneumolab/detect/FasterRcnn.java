package org.pneumolab.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

import org.pneumolab.data.DetectionBatch;
import org.pneumolab.data.DetectionSample;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.BoxOps;
import org.pneumolab.geom.Detection;

/**
 * Faster R-CNN (Ren et al. 2015) in pure SameDiff on the shared ResNet backbone's C4 map: an RPN
 * (objectness BCE + smooth-L1 on sampled anchors), proposals decoded and NMS'd on the host,
 * differentiable RoIAlign through {@link RoiAlignMatrix}, and a two-layer box head trained on
 * sampled RoIs (approximate joint training: proposals are treated as constants). Each training
 * step runs the RPN forward once to get proposals, then one {@code sd.fit} on all four losses.
 * {@link FasterRcnnConfig#skipNegativeImages()} switches between the published study's behaviour and the
 * corrected one.
 */
public final class FasterRcnn extends SameDiffDetector<FasterRcnnConfig> {
    static final String[] FEATURES = {"image", "roi_interp"};
    static final String[] LABELS = {"rpn_target", "rpn_weight", "rpn_box_target", "rpn_box_weight",
        "roi_target", "roi_weight", "roi_box_target", "roi_box_weight"};
    private static final String[] PART_NAMES = {"loss", "cls_loss", "box_loss", "rpn_cls_loss", "rpn_box_loss",
        "roi_cls_loss", "roi_box_loss"};

    private final FasterRcnnConfig config;
    private final double[] anchors;
    private final int anchorCount;
    private final int mapSize;
    private final Matcher rpnMatcher;
    private final Matcher roiMatcher;

    private FasterRcnn(FasterRcnnConfig config, SameDiff sd, String initNote) {
        super(config, sd, initNote, new LossPartsListener(PART_NAMES));
        this.config = config;
        this.anchors = config.anchors().anchors(config.inputSize());
        this.anchorCount = anchors.length / 4;
        this.mapSize = config.anchors().mapSize(config.inputSize(), 0);
        this.rpnMatcher = config.rpnMatcher();
        this.roiMatcher = config.roiMatcher();
    }

    public static FasterRcnn create(FasterRcnnConfig config) {
        SameDiff sd = buildGraph(config);
        return new FasterRcnn(config, sd, initialise(sd, config));
    }

    /** As {@link RetinaNet#withRandomValues}: the configured graph on the seed's random values, for timing and tests. */
    public static FasterRcnn withRandomValues(FasterRcnnConfig config) {
        return new FasterRcnn(config, buildGraph(config), SameDiffDetector.randomValuesNote(config));
    }

    public static FasterRcnn restore(FasterRcnnConfig config, SameDiff sd) {
        return new FasterRcnn(config, withTrainingConfig(sd, trainingConfig(config)), "restored from checkpoint");
    }

    static SameDiff buildGraph(FasterRcnnConfig c) {
        SameDiff sd = SameDiff.create();
        DataType dt = c.doublePrecision() ? DataType.DOUBLE : DataType.FLOAT;
        GraphBuilder g = new GraphBuilder(sd, dt, c.seed(), c.frozenNorm());
        SDVariable image = sd.placeHolder("image", dt, -1, c.inChannels(), c.inputSize(), c.inputSize());
        ResNetBackbone.Features f = ResNetBackbone.build(g, image, c.inChannels(), c.backbone());
        SDVariable c4 = f.c4();
        SDVariable[] rpn = rpnHead(g, c, c4, f.ch4());
        SDVariable rpnLogits = rpn[0];
        SDVariable rpnDeltas = rpn[1];
        SDVariable interp = sd.placeHolder("roi_interp", dt, -1, -1);
        SDVariable[] roi = roiHead(g, c, c4.permute(0, 2, 3, 1), interp, f.ch4());
        SDVariable roiLogits = roi[0];
        SDVariable roiDeltas = roi[1];

        SDVariable rpnT = sd.placeHolder("rpn_target", dt, -1, -1, 1);
        SDVariable rpnW = sd.placeHolder("rpn_weight", dt, -1, -1, 1);
        SDVariable rpnBT = sd.placeHolder("rpn_box_target", dt, -1, -1, 4);
        SDVariable rpnBW = sd.placeHolder("rpn_box_weight", dt, -1, -1, 1);
        SDVariable roiT = sd.placeHolder("roi_target", dt, -1, 1);
        SDVariable roiW = sd.placeHolder("roi_weight", dt, -1, 1);
        SDVariable roiBT = sd.placeHolder("roi_box_target", dt, -1, 4);
        SDVariable roiBW = sd.placeHolder("roi_box_weight", dt, -1, 1);

        // torchvision: both RPN losses over the number of sampled anchors, both head losses over sampled RoIs
        SDVariable rpnN = SdLosses.atLeastOne(sd, rpnW.sum());
        SDVariable roiN = SdLosses.atLeastOne(sd, roiW.sum());
        SDVariable rpnCls = SdLosses.bceSum(sd, rpnLogits, rpnT, rpnW).div(rpnN).rename("rpn_cls_loss");
        SDVariable rpnBox = SdLosses.smoothL1Sum(sd, rpnDeltas, rpnBT, rpnBW, 1.0 / 9).div(rpnN).rename("rpn_box_loss");
        SDVariable roiCls = SdLosses.bceSum(sd, roiLogits, roiT, roiW).div(roiN).rename("roi_cls_loss");
        SDVariable roiBox = SdLosses.smoothL1Sum(sd, roiDeltas, roiBT, roiBW, 1.0 / 9).div(roiN).rename("roi_box_loss");
        rpnCls.add("cls_loss", roiCls);
        rpnBox.add("box_loss", roiBox);
        sd.getVariable("cls_loss").add("loss", sd.getVariable("box_loss"));
        sd.setLossVariables("loss");
        sd.setTrainingConfig(trainingConfig(c));
        return sd;
    }

    /** RPN on the C4 map: {@code rpn_logits_out [B, anchors, 1]} and {@code rpn_deltas_out [B, anchors, 4]}. */
    private static SDVariable[] rpnHead(GraphBuilder g, FasterRcnnConfig c, SDVariable c4, int ch4) {
        int a = c.anchors().anchorsPerLocation();
        long n = (long) c.anchors().count(c.inputSize());
        SDVariable t = g.relu(g.conv("rpn_conv", c4, ch4, c.rpnChannels(), 3, 1));
        SDVariable logits = g.flattenHead(g.conv("rpn_logits", t, c.rpnChannels(), a, 1, 1, 0.1, 0.0), n, 1)
                .rename("rpn_logits_out");
        SDVariable deltas = g.flattenHead(g.conv("rpn_deltas", t, c.rpnChannels(), a * 4, 1, 1, 0.1, 0.0), n, 4)
                .rename("rpn_deltas_out");
        return new SDVariable[] {logits, deltas};
    }

    /**
     * The box head on RoIs of the C4 map given channels-last ({@code [B, H, W, C]}): RoIAlign as a
     * matmul, {@code [R*S*S, B*H*W] x [B*H*W, C] -> [R, S*S*C]}, then fc6, fc7 and the two outputs
     * {@code roi_logits_out [R, 1]} and {@code roi_deltas_out [R, 4]}.
     */
    private static SDVariable[] roiHead(GraphBuilder g, FasterRcnnConfig c, SDVariable c4Nhwc, SDVariable interp,
                                        int ch4) {
        SDVariable flat = c4Nhwc.reshape(-1, ch4);
        int s = c.pooledSize();
        SDVariable pooled = interp.mmul(flat).reshape(-1, (long) s * s * ch4);
        SDVariable h = g.relu(g.dense("fc6", pooled, s * s * ch4, c.fcWidth(), 1.0, 0.0));
        h = g.relu(g.dense("fc7", h, c.fcWidth(), c.fcWidth(), 1.0, 0.0));
        SDVariable logits = g.dense("roi_cls", h, c.fcWidth(), 1, 0.1, 0.0).rename("roi_logits_out");
        SDVariable deltas = g.dense("roi_box", h, c.fcWidth(), 4, 0.1, 0.0).rename("roi_deltas_out");
        return new SDVariable[] {logits, deltas};
    }

    /**
     * The frozen inference copy of {@code trained}: NHWC, every backbone affine folded into the
     * convolution before it, no loss. One pass over {@code image [B, H, W, C]} gives the RPN's
     * outputs and the C4 map ({@code c4_out}); the box head then reads that map from the
     * {@code c4_in} placeholder, so the backbone runs once per image instead of twice (the
     * training graph cannot take proposals and RoIs in one pass: the RoIs come from the
     * proposals). Outputs equal the training graph's within float rounding (FasterRcnnInferenceGraphTest).
     */
    static SameDiff inferenceGraph(FasterRcnnConfig c, SameDiff trained) {
        SameDiff sd = SameDiff.create();
        DataType dt = c.doublePrecision() ? DataType.DOUBLE : DataType.FLOAT;
        GraphBuilder g = GraphBuilder.inference(sd, dt, c.seed());
        SDVariable image = sd.placeHolder("image", dt, -1, c.inputSize(), c.inputSize(), c.inChannels());
        ResNetBackbone.Features f = ResNetBackbone.build(g, image, c.inChannels(), c.backbone());
        rpnHead(g, c, f.c4(), f.ch4());
        sd.identity("c4_out", f.c4());
        int map = c.anchors().mapSize(c.inputSize(), 0);
        SDVariable c4In = sd.placeHolder("c4_in", dt, -1, map, map, f.ch4());
        roiHead(g, c, c4In, sd.placeHolder("roi_interp", dt, -1, -1), f.ch4());
        g.copyFolded(trained, sd);
        return sd;
    }

    /** The folded NHWC copy: "image" [B, H, W, C] to the RPN and "c4_out"; "c4_in" and "roi_interp" to the box head. */
    @Override
    SameDiff foldedCopy() {
        return inferenceGraph(config, graph());
    }

    static TrainingConfig trainingConfig(FasterRcnnConfig c) {
        return TrainingConfig.builder().updater(new Adam(c.learningRate()))
                .dataSetFeatureMapping(FEATURES).dataSetLabelMapping(LABELS).build();
    }

    /** Published mode: images without boxes never reach training (what the TF OD API effectively did). */
    @Override
    public boolean trainsOn(DetectionSample s) {
        return !(config.skipNegativeImages() && s.boxes().isEmpty());
    }

    private INDArray arr(double[] v, long... shape) {
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(dtype());
    }

    /** Proposals per image (input pixels), best objectness first, after NMS at the configured IoU. */
    List<List<Box>> proposals(INDArray image) {
        return proposals(graph().output(Map.of("image", image), "rpn_logits_out", "rpn_deltas_out"), image.size(0));
    }

    /** {@link #proposals(INDArray)} from RPN outputs already computed for {@code images} images. */
    private List<List<Box>> proposals(Map<String, INDArray> o, long images) {
        List<List<Box>> out = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            double[] z = o.get("rpn_logits_out").get(NDArrayIndex.point(i)).reshape(-1).toDoubleVector();
            double[] d = o.get("rpn_deltas_out").get(NDArrayIndex.point(i)).reshape(-1).toDoubleVector();
            Integer[] order = new Integer[z.length];
            for (int k = 0; k < z.length; k++) {
                order[k] = k;
            }
            java.util.Arrays.sort(order, (p, q) -> Double.compare(z[q], z[p]));
            int top = Math.min(config.preNmsTop(), z.length);
            double[] corners = new double[4 * top];
            double[] scores = new double[top];
            double[] tmp = new double[4];
            int kept = 0;
            for (int k = 0; k < top; k++) {
                int a = order[k];
                BoxCoder.UNIT.decode(new double[] {d[4 * a], d[4 * a + 1], d[4 * a + 2], d[4 * a + 3]}, 0, anchors, a, tmp);
                double x1 = clamp(tmp[0]), y1 = clamp(tmp[1]), x2 = clamp(tmp[2]), y2 = clamp(tmp[3]);
                if (x2 - x1 < 1 || y2 - y1 < 1) {
                    continue; // degenerate after clipping
                }
                corners[4 * kept] = x1;
                corners[4 * kept + 1] = y1;
                corners[4 * kept + 2] = x2;
                corners[4 * kept + 3] = y2;
                scores[kept++] = z[a];
            }
            int[] keep = BoxOps.nms(corners, scores, kept, config.proposalNmsIou(), config.postNmsTop());
            List<Box> boxes = new ArrayList<>();
            for (int k : keep) {
                boxes.add(new Box(corners[4 * k], corners[4 * k + 1], corners[4 * k + 2], corners[4 * k + 3]));
            }
            out.add(boxes);
        }
        return out;
    }

    private double clamp(double v) {
        return Math.max(0, Math.min(config.inputSize(), v));
    }

    /** All placeholders of one training step (proposals from the current weights); samplers seeded from {@code seed}. */
    @Override
    Map<String, INDArray> trainingPlaceholders(DetectionBatch batch, long seed) {
        INDArray image = images(batch);
        int b = batch.size();
        List<List<Box>> props = proposals(image);
        double[] rt = new double[b * anchorCount], rw = new double[b * anchorCount];
        double[] rbt = new double[b * anchorCount * 4], rbw = new double[b * anchorCount];
        List<Box> rois = new ArrayList<>();
        List<Integer> roiImage = new ArrayList<>();
        List<double[]> roiTargets = new ArrayList<>();
        BalancedSampler rpnSampler = new BalancedSampler(config.rpnBatchPerImage(), 0.5);
        BalancedSampler roiSampler = new BalancedSampler(config.roiBatchPerImage(), 0.25);
        for (int i = 0; i < b; i++) {
            List<Box> gt = batch.boxes().get(i); // tensor pixels: after resize, padding and augmentation
            int[] m = rpnMatcher.match(IouMatrix.of(gt, anchors), anchorCount);
            int[] sampled = rpnSampler.sample(labels(m), seed * 31 + i);
            for (int a = 0; a < anchorCount; a++) {
                int k = i * anchorCount + a;
                if (sampled[a] >= 0) {
                    rw[k] = 1;
                    rt[k] = sampled[a];
                }
                if (sampled[a] == 1) {
                    rbw[k] = 1;
                    System.arraycopy(BoxCoder.UNIT.encode(gt.get(m[a]), anchors, a), 0, rbt, 4 * k, 4);
                }
            }
            // RoIs: proposals plus the ground truth itself (as torchvision does), matched at 0.5
            List<Box> cand = new ArrayList<>(props.get(i));
            cand.addAll(gt);
            int[] rm = roiMatcher.match(IouMatrix.of(gt, cand), cand.size());
            int[] rs = roiSampler.sample(labels(rm), seed * 31 + i + 17);
            for (int k = 0; k < cand.size(); k++) {
                if (rs[k] < 0) {
                    continue;
                }
                rois.add(cand.get(k));
                roiImage.add(i);
                double[] tgt = new double[6]; // label, weight-for-box, 4 deltas
                tgt[0] = rs[k];
                if (rs[k] == 1) {
                    tgt[1] = 1;
                    Box p = cand.get(k);
                    double[] pa = {p.x1(), p.y1(), p.x2(), p.y2()};
                    System.arraycopy(BoxCoder.ROI_HEAD.encode(gt.get(rm[k]), pa, 0), 0, tgt, 2, 4);
                }
                roiTargets.add(tgt);
            }
        }
        int r = rois.size();
        double[] ot = new double[r], ow = new double[r], obt = new double[4 * r], obw = new double[r];
        for (int k = 0; k < r; k++) {
            double[] tgt = roiTargets.get(k);
            ot[k] = tgt[0];
            ow[k] = 1;
            obw[k] = tgt[1];
            System.arraycopy(tgt, 2, obt, 4 * k, 4);
        }
        Map<String, INDArray> ph = new LinkedHashMap<>();
        ph.put("image", image);
        ph.put("roi_interp", RoiAlignMatrix.build(rois, roiImage.stream().mapToInt(Integer::intValue).toArray(), b,
                mapSize, mapSize, FasterRcnnConfig.STRIDE, config.pooledSize(), dtype()));
        ph.put("rpn_target", arr(rt, b, anchorCount, 1));
        ph.put("rpn_weight", arr(rw, b, anchorCount, 1));
        ph.put("rpn_box_target", arr(rbt, b, anchorCount, 4));
        ph.put("rpn_box_weight", arr(rbw, b, anchorCount, 1));
        ph.put("roi_target", arr(ot, r, 1));
        ph.put("roi_weight", arr(ow, r, 1));
        ph.put("roi_box_target", arr(obt, r, 4));
        ph.put("roi_box_weight", arr(obw, r, 1));
        return ph;
    }

    private static int[] labels(int[] matches) {
        int[] l = new int[matches.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = matches[i] >= 0 ? 1 : matches[i] == Matcher.BACKGROUND ? 0 : -1;
        }
        return l;
    }

    /**
     * One folded NHWC pass over the batch gives proposals and the C4 maps; the box head then runs
     * per image on its own map (a batched RoIAlign matrix would grow with the square of the batch).
     */
    @Override
    List<ImageDetections> detectBatch(DetectionBatch batch, PostProcess pp) {
        List<ImageDetections> out = new ArrayList<>(batch.size());
        Map<String, INDArray> rpn = inferenceGraph().output(Map.of("image", nhwc(images(batch))),
                "rpn_logits_out", "rpn_deltas_out", "c4_out");
        List<List<Box>> proposals = proposals(rpn, batch.size());
        INDArray c4 = rpn.get("c4_out");
        for (int i = 0; i < batch.size(); i++) {
            List<Box> props = proposals.get(i);
            List<Detection> dets = List.of(); // no proposals, no boxes
            if (!props.isEmpty()) {
                INDArray interp = RoiAlignMatrix.build(props, new int[props.size()], 1, mapSize, mapSize,
                        FasterRcnnConfig.STRIDE, config.pooledSize(), dtype());
                INDArray map = c4.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all()).dup();
                Map<String, INDArray> o = inferenceGraph().output(Map.of("c4_in", map, "roi_interp", interp),
                        "roi_logits_out", "roi_deltas_out");
                dets = boxesFromRois(batch, i, props, o, pp);
            }
            out.add(new ImageDetections(batch.ids().get(i), dets));
        }
        return out;
    }

    /**
     * Image {@code i}'s detections in original pixels from the box head's outputs on its proposals
     * ({@code roi_logits_out}, {@code roi_deltas_out}): scores at or above the threshold, boxes
     * decoded, clipped to the input and mapped back, then {@code pp}.
     */
    List<Detection> boxesFromRois(DetectionBatch batch, int i, List<Box> props, Map<String, INDArray> o, PostProcess pp) {
        double[] z = o.get("roi_logits_out").reshape(-1).toDoubleVector();
        double[] d = o.get("roi_deltas_out").reshape(-1).toDoubleVector();
        int size = config.inputSize();
        List<Detection> dets = new ArrayList<>();
        for (int k = 0; k < props.size(); k++) {
            double score = 1 / (1 + Math.exp(-z[k]));
            if (score < pp.scoreThreshold()) {
                continue;
            }
            Box b = BoxCoder.ROI_HEAD.decode(new double[] {d[4 * k], d[4 * k + 1], d[4 * k + 2], d[4 * k + 3]},
                    props.get(k)).clip(size, size);
            if (b.area() > 0) {
                dets.add(new Detection(batch.toOriginal(i, b), score));
            }
        }
        return pp.apply(dets);
    }
}
