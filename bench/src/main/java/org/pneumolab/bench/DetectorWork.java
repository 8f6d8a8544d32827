package org.pneumolab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.nd4j.autodiff.samediff.SameDiff;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import org.pneumolab.data.DetectionBatch;
import org.pneumolab.detect.Detector;
import org.pneumolab.detect.FasterRcnn;
import org.pneumolab.detect.FasterRcnnConfig;
import org.pneumolab.runtime.NativeThreads;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.detect.RetinaNet;
import org.pneumolab.detect.RetinaNetConfig;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.ResizeGeometry;

/**
 * RetinaNet and Faster R-CNN side by side: milliseconds per training step and per inference
 * image, at the sample profile's size and the paper's (ResNet50 at 224). Speed does not depend
 * on the weights, so the paper configurations are built without trying to download ImageNet
 * ResNet50 weights. Images are seeded noise with 0-2 boxes each (a third without boxes, as RSNA).
 */
public final class DetectorWork {
    /** The two detectors for one profile. */
    record Pair(String profile, int size, Detector retina, Detector frcnn) {
    }

    private DetectorWork() {
    }

    /** The two detectors' configurations for one profile (the GPU smoke check rebuilds them around loaded weights). */
    record Configs(RetinaNetConfig retina, FasterRcnnConfig frcnn) {
    }

    static Configs sampleConfigs(long seed) {
        return new Configs(RetinaNetConfig.sample(seed), FasterRcnnConfig.sample(seed, false));
    }

    static Configs paperConfigs(long seed) {
        // A paper user's configurations as they are (pretrained, frozen batch norms); paper() below
        // builds them withRandomValues: speed does not depend on the weights, so no ImageNet load.
        return new Configs(RetinaNetConfig.paper(seed), FasterRcnnConfig.paper(seed, false));
    }

    static Pair sample(long seed) {
        Configs c = sampleConfigs(seed);
        return new Pair("sample", c.retina().inputSize(), RetinaNet.create(c.retina()), FasterRcnn.create(c.frcnn()));
    }

    static Pair paper(long seed) {
        Configs c = paperConfigs(seed);
        return new Pair("paper", c.retina().inputSize(), RetinaNet.withRandomValues(c.retina()),
                FasterRcnn.withRandomValues(c.frcnn()));
    }

    static Comparison training(Pair p, int batch, long seed) {
        DetectionBatch data = samples(batch, p.size(), 1, seed);
        long[] step = {0};
        return new Comparison(String.format("Detector train step @%d (%s profile), batch %d", p.size(), p.profile(),
                batch), Unit.time("ms/step", 1000), Workloads.list(
                new Contestant("RetinaNet (" + backboneName(p.retina()) + ")", true, () -> fit(p.retina(), data, step)),
                new Contestant("Faster R-CNN (" + backboneName(p.frcnn()) + ")", true, () -> fit(p.frcnn(), data, step))),
                NativeThreads.describe() + "; SameDiff training step incl. host-side target building", null);
    }

    static Comparison inference(Pair p, int images, long seed) {
        DetectionBatch data = samples(images, p.size(), 1, seed + 1);
        return new Comparison(String.format("Detector inference @%d (%s profile), %d images", p.size(), p.profile(),
                images), Unit.time("ms/img", 1000), Workloads.list(
                new Contestant("RetinaNet (" + backboneName(p.retina()) + ")", true, () -> detect(p.retina(), data)),
                new Contestant("Faster R-CNN (" + backboneName(p.frcnn()) + ")", true, () -> detect(p.frcnn(), data))),
                "detect() in batches of 8 incl. decoding and default post-processing", null);
    }

    static String trainTitle(String model, int size, int batch) {
        return String.format(Locale.ROOT, "%s train step @%d (paper profile), batch %d", model, size, batch);
    }

    static String inferTitle(String model, int size, int batch) {
        return String.format(Locale.ROOT, "%s inference @%d (paper profile), batch %d", model, size, batch);
    }

    /**
     * One paper-profile detector against its torchvision peer: a training step (Adam, every
     * image, incl. target building on both sides) and inference (incl. decoding and
     * post-processing on both sides), same batch, same image size, 1 channel, random weights.
     * Before either row's first (warm-up) call each side trains its model {@code settle} untimed
     * steps on the row's data, so both time a settled model; the inference row then reads the model
     * its training row trained, on both sides. The peer's standalone twin (a fresh process) first
     * trains its model as many steps as the long-lived peer's had when the row began (the training
     * row) or has now (the inference row): the work of a Faster R-CNN step follows the model's
     * state (the proposals its RPN lets through), and on 7 Dec 2026 a twin settled only 12 steps
     * inferred at 131 ms per image against the long-lived model's 153 ms after 20.
     */
    static List<Comparison> paperVsTorchvision(Detector d, String model, String peerModel, String peerLabel,
                                               int size, int batch, int iters, int settle, PythonPeer peer, long seed) {
        DetectionBatch train = samples(batch, size, 1, seed);
        DetectionBatch infer = samples(batch, size, 1, seed + 1);
        long[] step = {0};
        Runnable settled = () -> {
            while (step[0] < settle) {
                d.fitBatch(train, step[0]++);
            }
        };
        String ours = model + " (" + backboneName(d) + ", SameDiff)";
        String trainCmd = "detector " + peerModel + " train " + size + " " + batch + " " + iters + " ";
        String inferCmd = "detector " + peerModel + " infer " + size + " " + batch + " " + iters + " ";
        // steps the long-lived peer's model has trained: built with `settle` by its first call
        long[] peerSteps = {-1};
        Runnable peerBuilt = () -> peerSteps[0] = Math.max(peerSteps[0], settle);
        return List.of(
                new Comparison(trainTitle(model, size, batch), Unit.time("ms/step", 1000), Workloads.list(
                        new Contestant(ours, true, () -> {
                            settled.run();
                            long t = System.nanoTime();
                            for (int i = 0; i < iters; i++) {
                                d.fitBatch(train, step[0]++);
                            }
                            return Workloads.perSecond(iters, t);
                        }),
                        Bench.peer(peer, peerLabel, trainCmd + settle,
                                plan -> trainCmd + twinSettleForTraining(peerSteps[0], plan, iters), () -> {
                                    peerBuilt.run();
                                    peerSteps[0] += iters;
                                })),
                        NativeThreads.describe() + "; both sides: Adam, every image, anchor/proposal targets built "
                                + "each step, " + settle + " untimed steps before the warm-up; ours: the paper profile's "
                                + "thread policy, the peer: the bench's thread count", null)
                        .whenDone(d::releaseCaches), // as DetectorTrainer does when training ends
                new Comparison(inferTitle(model, size, batch), Unit.time("ms/img", 1000), Workloads.list(
                        new Contestant(ours, true, () -> {
                            settled.run();
                            long t = System.nanoTime();
                            for (int i = 0; i < iters; i++) {
                                d.detect(infer, PostProcess.DEFAULT);
                            }
                            return Workloads.perSecond((long) iters * infer.size(), t);
                        }),
                        Bench.peer(peer, peerLabel, inferCmd + settle, plan -> inferCmd + Math.max(settle, peerSteps[0]),
                                peerBuilt)),
                        "both sides incl. box decoding and post-processing (ours: PostProcess.DEFAULT; "
                                + "torchvision: its eval defaults), on the model the training row trained", null)
                        .whenDone(d::releaseCaches));
    }

    /**
     * Untimed steps for a training row's twin: the steps the long-lived peer's model had when the
     * row's warm-up began, i.e. its steps now less those the row's calls trained (each call
     * {@code iters} steps; the twin then makes the same calls).
     */
    static long twinSettleForTraining(long peerStepsNow, SamplePlan plan, int iters) {
        return Math.max(0, peerStepsNow - (long) plan.totalCalls() * iters);
    }

    /**
     * The detectors' ResNet50 backbone as RetinaNet's paper graph holds it (1 channel, batch
     * norm as a frozen per-channel affine, SameDiff, NCHW), run image to C5 in inference.
     */
    static Contestant resnetC5(RetinaNet retina, INDArray x, int iters) {
        SameDiff sd = retina.graph();
        String c5 = inputOf(sd, "fpn_lat5_W");
        return new Contestant("ResNetBackbone to C5 (SameDiff NCHW, as RetinaNet holds it)", true, () -> {
            long t = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                sd.output(Map.of("image", x), c5).get(c5).close();
            }
            return Workloads.perSecond(x.size(0) * iters, t);
        });
    }

    /** The same backbone in RetinaNet's inference copy (NHWC, affines folded), as detect() runs it. */
    static Contestant resnetC5Folded(RetinaNet retina, INDArray nchw, int iters) {
        SameDiff sd = retina.inferenceGraph();
        String c5 = inputOf(sd, "fpn_lat5_W");
        INDArray x = nchw.permute(0, 2, 3, 1).dup();
        return new Contestant("ResNetBackbone to C5, folded NHWC (RetinaNet.detect's inference copy)", true, () -> {
            long t = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                sd.output(Map.of("image", x), c5).get(c5).close();
            }
            return Workloads.perSecond(x.size(0) * iters, t);
        });
    }

    /** The activation a weight's op reads: C5 is what the FPN's lateral 1x1 convolution reads. */
    private static String inputOf(SameDiff sd, String weight) {
        List<String> ops = sd.getVariables().get(weight).getInputsForOp();
        if (ops == null || ops.isEmpty()) {
            throw new IllegalStateException("no op reads " + weight);
        }
        return sd.getOps().get(ops.get(0)).getInputsToOp().get(0);
    }

    private static double fit(Detector d, DetectionBatch batch, long[] step) {
        long t = System.nanoTime();
        d.fitBatch(batch, step[0]++);
        return Workloads.perSecond(1, t);
    }

    private static double detect(Detector d, DetectionBatch images) {
        long t = System.nanoTime();
        for (int from = 0; from < images.size(); from += 8) {
            d.detect(slice(images, from, Math.min(images.size(), from + 8)), PostProcess.DEFAULT);
        }
        return Workloads.perSecond(images.size(), t);
    }

    static String backboneName(Detector d) {
        if (d instanceof RetinaNet r) {
            return r.config().backbone().name();
        }
        return d instanceof FasterRcnn f ? f.config().backbone().name() : "?";
    }

    /**
     * Seeded noise images of {@code channels x size x size} with 0-2 boxes each (given in
     * 1024-pixel originals, stored in tensor pixels through the stretch geometry), as one batch.
     */
    public static DetectionBatch samples(int n, int size, int channels, long seed) {
        Random rnd = new Random(seed);
        Nd4j.getRandom().setSeed(seed);
        INDArray img = Nd4j.rand(DataType.FLOAT, n, channels, size, size);
        ResizeGeometry g = ResizeGeometry.stretch(1024, 1024, size, size);
        List<List<Box>> all = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Box> boxes = new ArrayList<>();
            int k = rnd.nextInt(3);
            for (int b = 0; b < k; b++) {
                double w = 150 + 250 * rnd.nextDouble();
                double h = 200 + 300 * rnd.nextDouble();
                boxes.add(g.toTarget(Box.fromXywh(100 + 500 * rnd.nextDouble(), 100 + 400 * rnd.nextDouble(), w, h)));
            }
            all.add(boxes);
            ids.add("bench-" + i);
        }
        return new DetectionBatch(img, all, ids, java.util.Collections.nCopies(n, g));
    }

    /** Images {@code from..to-1} of a batch as a batch of their own. */
    public static DetectionBatch slice(DetectionBatch b, int from, int to) {
        INDArray x = b.images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        return new DetectionBatch(x, b.boxes().subList(from, to), b.ids().subList(from, to), b.geometries().subList(from, to));
    }
}
