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
import org.nd4j.linalg.learning.config.Adam;

import org.pneumolab.data.DetectionBatch;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;

/**
 * RetinaNet (Lin et al. 2017) in pure SameDiff: ResNet backbone, FPN P3-P7, class and box subnets
 * shared across levels (the same variables applied to every level), sigmoid focal loss and
 * smooth-L1 box loss, both normalised by the number of positive anchors (at least 1). Trains on
 * every image: on a negative image every anchor is background, which is how it learns the
 * "not normal, but not pneumonia" X-rays. One class (lung opacity), class-agnostic boxes.
 */
public final class RetinaNet extends SameDiffDetector<RetinaNetConfig> {
    static final String[] LABELS = {"cls_target", "cls_weight", "box_target", "box_weight"};

    private final double[] anchors;
    private final int anchorCount;
    private final Matcher matcher;

    private RetinaNet(RetinaNetConfig config, SameDiff sd, String initNote) {
        super(config, sd, initNote, new LossPartsListener("loss", "cls_loss", "box_loss"));
        this.anchors = config.anchors().anchors(config.inputSize());
        this.anchorCount = anchors.length / 4;
        this.matcher = config.matcher();
    }

    /** A new network; the paper profile tries the ImageNet weights first (see {@link #initNote()}). */
    public static RetinaNet create(RetinaNetConfig config) {
        SameDiff sd = buildGraph(config);
        return new RetinaNet(config, sd, initialise(sd, config));
    }

    /**
     * The configured network with the seed's random values, never loading ImageNet weights even
     * when configured pretrained: the paper graph as a paper user runs it (frozen batch norms
     * included) for timing and for tests of its arithmetic, where the values do not matter. Not a
     * start to train for results (its init note says so); {@link DetectorConfig#requireNormalisation}.
     */
    public static RetinaNet withRandomValues(RetinaNetConfig config) {
        return new RetinaNet(config, buildGraph(config), SameDiffDetector.randomValuesNote(config));
    }

    /** Wraps a graph restored from a checkpoint (see {@link RunStore}). */
    public static RetinaNet restore(RetinaNetConfig config, SameDiff sd) {
        return new RetinaNet(config, withTrainingConfig(sd, trainingConfig(config)), "restored from checkpoint");
    }

    static SameDiff buildGraph(RetinaNetConfig c) {
        SameDiff sd = SameDiff.create();
        DataType dt = c.doublePrecision() ? DataType.DOUBLE : DataType.FLOAT;
        buildNetwork(new GraphBuilder(sd, dt, c.seed(), c.frozenNorm()), c);
        return sd;
    }

    /**
     * The frozen inference copy of {@code trained}: NHWC, every backbone affine folded into the
     * convolution before it, no loss; {@code cls_out} and {@code box_out} equal the training
     * graph's within float rounding (RetinaNetTest). Rebuilt after every training step that
     * changed the weights.
     */
    static SameDiff inferenceGraph(RetinaNetConfig c, SameDiff trained) {
        SameDiff sd = SameDiff.create();
        DataType dt = c.doublePrecision() ? DataType.DOUBLE : DataType.FLOAT;
        GraphBuilder g = GraphBuilder.inference(sd, dt, c.seed());
        SDVariable image = sd.placeHolder("image", dt, -1, c.inputSize(), c.inputSize(), c.inChannels());
        heads(g, c, image);
        g.copyFolded(trained, sd);
        return sd;
    }

    private static void buildNetwork(GraphBuilder g, RetinaNetConfig c) {
        SameDiff sd = g.sd;
        DataType dt = g.dtype;
        SDVariable image = sd.placeHolder("image", dt, -1, c.inChannels(), c.inputSize(), c.inputSize());
        SDVariable[] out = heads(g, c, image);
        SDVariable logits = out[0];
        SDVariable deltas = out[1];

        SDVariable clsT = sd.placeHolder("cls_target", dt, -1, -1, 1);
        SDVariable clsW = sd.placeHolder("cls_weight", dt, -1, -1, 1);
        SDVariable boxT = sd.placeHolder("box_target", dt, -1, -1, 4);
        SDVariable boxW = sd.placeHolder("box_weight", dt, -1, -1, 1);
        SDVariable norm = SdLosses.atLeastOne(sd, boxW.sum());
        SDVariable clsLoss = SdLosses.focalSum(sd, logits, clsT, clsW, c.focalAlpha(), c.focalGamma()).div(norm)
                .rename("cls_loss");
        SDVariable boxLoss = SdLosses.smoothL1Sum(sd, deltas, boxT, boxW, RetinaNetConfig.BOX_BETA).div(norm)
                .rename("box_loss");
        clsLoss.add("loss", boxLoss);
        sd.setLossVariables("loss");
        sd.setTrainingConfig(trainingConfig(c));
    }

    /** Backbone, FPN and the shared heads: {@code cls_out [B, anchors, 1]} and {@code box_out [B, anchors, 4]}. */
    private static SDVariable[] heads(GraphBuilder g, RetinaNetConfig c, SDVariable image) {
        SameDiff sd = g.sd;
        ResNetBackbone.Features f = ResNetBackbone.build(g, image, c.inChannels(), c.backbone());
        int fc = c.fpnChannels();
        // FPN: top-down pathway with lateral 1x1 connections, 3x3 smoothing; P6 from C5, P7 from relu(P6)
        SDVariable l5 = g.conv("fpn_lat5", f.c5(), f.ch5(), fc, 1, 1);
        SDVariable l4 = g.conv("fpn_lat4", f.c4(), f.ch4(), fc, 1, 1).add(g.upsample2(l5));
        SDVariable l3 = g.conv("fpn_lat3", f.c3(), f.ch3(), fc, 1, 1).add(g.upsample2(l4));
        SDVariable p3 = g.conv("fpn_out3", l3, fc, fc, 3, 1);
        SDVariable p4 = g.conv("fpn_out4", l4, fc, fc, 3, 1);
        SDVariable p5 = g.conv("fpn_out5", l5, fc, fc, 3, 1);
        List<SDVariable> levels = new ArrayList<>(List.of(p3, p4, p5));
        if (c.levels() >= 4) {
            SDVariable p6 = g.conv("fpn_p6", f.c5(), f.ch5(), fc, 3, 2);
            levels.add(p6);
            if (c.levels() == 5) {
                levels.add(g.conv("fpn_p7", g.relu(p6), fc, fc, 3, 2));
            }
        }

        AnchorGenerator ag = c.anchors();
        int a = ag.anchorsPerLocation();
        double prior = -Math.log((1 - 0.01) / 0.01); // foreground prior 0.01 keeps early focal loss stable
        List<SDVariable> cls = new ArrayList<>();
        List<SDVariable> box = new ArrayList<>();
        for (int l = 0; l < levels.size(); l++) {
            long n = (long) ag.mapSize(c.inputSize(), l) * ag.mapSize(c.inputSize(), l) * a;
            SDVariable hc = levels.get(l);
            SDVariable hb = levels.get(l);
            for (int i = 0; i < c.headConvs(); i++) {
                hc = g.relu(g.conv("cls_head" + i, hc, fc, fc, 3, 1, 1.0, 0.0));
                hb = g.relu(g.conv("box_head" + i, hb, fc, fc, 3, 1, 1.0, 0.0));
            }
            cls.add(g.flattenHead(g.conv("cls_logits", hc, fc, a, 3, 1, 0.1, prior), n, 1));
            box.add(g.flattenHead(g.conv("box_deltas", hb, fc, a * 4, 3, 1, 0.1, 0.0), n, 4));
        }
        SDVariable logits = sd.concat("cls_out", 1, cls.toArray(new SDVariable[0]));
        SDVariable deltas = sd.concat("box_out", 1, box.toArray(new SDVariable[0]));
        return new SDVariable[] {logits, deltas};
    }

    static TrainingConfig trainingConfig(RetinaNetConfig c) {
        return TrainingConfig.builder().updater(new Adam(c.learningRate()))
                .dataSetFeatureMapping("image").dataSetLabelMapping(LABELS).build();
    }

    public int anchorCount() {
        return anchorCount;
    }

    /** Anchor targets of a batch: {@code cls_target, cls_weight, box_target, box_weight}. */
    INDArray[] targets(DetectionBatch batch) {
        int b = batch.size();
        double[] ct = new double[b * anchorCount];
        double[] cw = new double[b * anchorCount];
        double[] bt = new double[b * anchorCount * 4];
        double[] bw = new double[b * anchorCount];
        for (int i = 0; i < b; i++) {
            List<Box> gt = batch.boxes().get(i); // tensor pixels: after resize, padding and augmentation
            int[] m = matcher.match(IouMatrix.of(gt, anchors), anchorCount);
            for (int a = 0; a < anchorCount; a++) {
                int k = i * anchorCount + a;
                if (m[a] >= 0) {
                    ct[k] = 1;
                    cw[k] = 1;
                    bw[k] = 1;
                    System.arraycopy(BoxCoder.UNIT.encode(gt.get(m[a]), anchors, a), 0, bt, 4 * k, 4);
                } else if (m[a] == Matcher.BACKGROUND) {
                    cw[k] = 1;
                }
            }
        }
        DataType dt = dtype();
        return new INDArray[] {
            Nd4j.create(ct, new long[] {b, anchorCount, 1}, DataType.DOUBLE).castTo(dt),
            Nd4j.create(cw, new long[] {b, anchorCount, 1}, DataType.DOUBLE).castTo(dt),
            Nd4j.create(bt, new long[] {b, anchorCount, 4}, DataType.DOUBLE).castTo(dt),
            Nd4j.create(bw, new long[] {b, anchorCount, 1}, DataType.DOUBLE).castTo(dt)};
    }

    /** Placeholder values for one batch (image and targets), e.g. for gradient checks. */
    Map<String, INDArray> placeholders(DetectionBatch batch) {
        return trainingPlaceholders(batch, 0);
    }

    /** RetinaNet's targets are deterministic: every anchor is matched, nothing is sampled. */
    @Override
    Map<String, INDArray> trainingPlaceholders(DetectionBatch batch, long stepSeed) {
        Map<String, INDArray> ph = new LinkedHashMap<>();
        ph.put("image", images(batch));
        INDArray[] t = targets(batch);
        for (int i = 0; i < LABELS.length; i++) {
            ph.put(LABELS[i], t[i]);
        }
        return ph;
    }

    @Override
    List<ImageDetections> detectBatch(DetectionBatch batch, PostProcess pp) {
        Map<String, INDArray> o = frozenOutputs(images(batch));
        INDArray logits = o.get("cls_out");
        INDArray deltas = o.get("box_out");
        List<ImageDetections> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            double[] z = logits.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).reshape(-1).toDoubleVector();
            double[] d = deltas.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).reshape(-1).toDoubleVector();
            out.add(new ImageDetections(batch.ids().get(i), decode(batch, i, z, d, pp)));
        }
        return out;
    }

    /**
     * {@code cls_out} and {@code box_out} for NCHW images through the folded NHWC inference graph,
     * built on first use after the weights last changed.
     */
    Map<String, INDArray> frozenOutputs(INDArray nchw) {
        return inferenceGraph().output(Map.of("image", nhwc(nchw)), "cls_out", "box_out");
    }

    /** The folded NHWC copy (input "image" as [B, H, W, C]). */
    @Override
    SameDiff foldedCopy() {
        return inferenceGraph(config(), graph());
    }

    /** Scores above threshold, the best {@code topK} decoded (torchvision's topk_candidates), then {@code pp}. */
    private List<Detection> decode(DetectionBatch batch, int image, double[] logits, double[] deltas, PostProcess pp) {
        List<Integer> cand = new ArrayList<>();
        double[] score = new double[logits.length];
        for (int a = 0; a < logits.length; a++) {
            score[a] = 1 / (1 + Math.exp(-logits[a]));
            if (score[a] >= pp.scoreThreshold()) {
                cand.add(a);
            }
        }
        cand.sort((x, y) -> Double.compare(score[y], score[x]));
        List<Detection> dets = new ArrayList<>();
        double[] corners = new double[4];
        int size = config().inputSize();
        for (int i = 0; i < cand.size() && i < config().topK(); i++) {
            int a = cand.get(i);
            decodeInto(deltas, a, corners);
            Box b = new Box(corners[0], corners[1], Math.max(corners[0], corners[2]), Math.max(corners[1], corners[3]))
                    .clip(size, size);
            if (b.area() <= 0) {
                continue;
            }
            dets.add(new Detection(batch.toOriginal(image, b), score[a]));
        }
        return pp.apply(dets);
    }

    private void decodeInto(double[] deltas, int a, double[] corners) {
        double[] d = {deltas[4 * a], deltas[4 * a + 1], deltas[4 * a + 2], deltas[4 * a + 3]};
        BoxCoder.UNIT.decode(d, 0, anchors, a, corners);
    }
}
