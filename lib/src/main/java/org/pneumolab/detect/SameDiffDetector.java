package org.pneumolab.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import org.pneumolab.data.DetectionBatch;
import org.pneumolab.runtime.NativeThreads;

/**
 * The skeleton both SameDiff detectors share: a configuration, a graph, how the weights were
 * initialised, and the three entry points. Each entry point first applies the process's native
 * thread policy ({@link NativeThreads}, decided in {@code runtime}: OpenMP keeps its count per
 * calling thread, and notebook cells and workers run on new threads), so the models never decide
 * it. A subclass supplies the graph's inputs for a batch and how to read detections off it.
 *
 * @param <C> the detector's configuration
 */
public abstract class SameDiffDetector<C extends DetectorConfig> implements Detector {
    private final C config;
    private final SameDiff sd;
    private final String initNote;
    private final LossPartsListener parts;
    /** The folded NHWC inference copy ({@link #inferenceGraph()}); null until used and after every training step. */
    private SameDiff frozen;

    SameDiffDetector(C config, SameDiff sd, String initNote, LossPartsListener parts) {
        this.config = config;
        this.sd = sd;
        this.initNote = initNote;
        this.parts = parts;
    }

    /**
     * How a new graph's weights start: ImageNet ResNet50 when configured pretrained (Keras's file or
     * the zoo; neither stops here with the one message, before any training), else the seed's random
     * draw. The detectors' input is the pipeline's ImageNet-normalised grey channel
     * ({@code DetectionData}), which the copy folds into the first convolution.
     */
    static String initialise(SameDiff sd, DetectorConfig c) {
        if (!c.pretrained()) {
            return "random initialisation (seed " + c.seed() + ")";
        }
        if (!c.backbone().equals(BackboneSpec.RESNET50)) {
            throw new IllegalArgumentException("pretrained(true) needs the ResNet50 backbone (ImageNet weights exist only for it), got "
                    + c.backbone().name());
        }
        try {
            return PretrainedResNet50.copyInto(sd, c.inChannels(), org.pneumolab.image.Normalization.IMAGENET,
                    org.pneumolab.weights.WeightStore.standard());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The init note of a detector built on random values whatever its configuration asks (timing, tests). */
    static String randomValuesNote(DetectorConfig c) {
        return "random values (seed " + c.seed() + ")" + (c.pretrained()
                ? " in place of the configured ImageNet weights: for timing and tests, not a start to train for results" : "");
    }

    /** A graph restored from a checkpoint keeps its updater state; one saved without it gets a fresh one. */
    static SameDiff withTrainingConfig(SameDiff sd, TrainingConfig fresh) {
        if (sd.getTrainingConfig() == null) {
            sd.setTrainingConfig(fresh);
        }
        return sd;
    }

    public C config() {
        return config;
    }

    @Override
    public String initNote() {
        return initNote;
    }

    @Override
    public String configJson() {
        return config.toJson();
    }

    @Override
    public SameDiff graph() {
        return sd;
    }

    DataType dtype() {
        return config.doublePrecision() ? DataType.DOUBLE : DataType.FLOAT;
    }

    INDArray images(DetectionBatch batch) {
        return ModelInput.of(batch, config.inChannels(), config.inputSize(), dtype());
    }

    /**
     * One optimisation step. ND4J's random stream is seeded with {@code stepSeed} first, so any
     * random op in a graph (none in ours today) draws the same numbers for the same step on every
     * run; the host-side samplers take the same seed.
     */
    @Override
    public final Map<String, Double> fitBatch(DetectionBatch batch, long stepSeed) {
        NativeThreads.apply();
        QuietGradients.ensure(sd);
        Nd4j.getRandom().setSeed(stepSeed);
        dropInferenceCopy(); // this step changes the weights
        // The targets once per step: they were built twice (once for the data set, once for the
        // held session's placeholders), and Faster R-CNN's include a forward pass for the
        // proposals (7 Dec 2026: 138 conv2d calls per step for 46 convolutions).
        Map<String, INDArray> placeholders = trainingPlaceholders(batch, stepSeed);
        MultiDataSet data = trainingData(placeholders);
        if (session == null || session.grad() != sd.getFunction("grad") || session.config() != sd.getTrainingConfig()) {
            // the first step (and the first after the graph's training set-up changed) through
            // sd.fit, which also initialises the updaters; every later step through the held session
            sd.fit(data, parts);
            session = HeldSession.of(sd);
        } else {
            session.step(sd, data, placeholders, parts);
        }
        return parts.take();
    }

    /** The training session kept across steps ({@link HeldSession}); null before the first step. */
    private HeldSession session;

    /**
     * The frozen inference copy detect() runs (NHWC, every backbone affine folded into the
     * convolution before it, no loss), built on first use after the weights last changed.
     * Weights changed from outside ({@code graph()}) must be followed by {@link #weightsChanged()}.
     */
    public final SameDiff inferenceGraph() {
        if (frozen == null) {
            frozen = foldedCopy();
        }
        return frozen;
    }

    /** Drops the inference copy, for callers that changed the training graph's weights directly. */
    public final void weightsChanged() {
        dropInferenceCopy();
    }

    /**
     * Frees the arrays the detector's SameDiff sessions keep between calls: the held training
     * session's cache (a step's activations and gradients, reused by the next step) and the
     * inference sessions' caches of the training graph ({@link #losses}) and of the inference copy.
     * Why: ND4J 1.0.0-M2.1 lets each session's cache grow to a quarter of JavaCPP's
     * {@code maxbytes} (a user's machine: an eighth of its memory, {@code tools/setup.sh}), and a
     * detector holds up to three of them for as long as it lives. In one process the paper
     * RetinaNet and Faster R-CNN, trained and run at batch 8, held 9-10 GB resident, which is
     * how two full bench runs of 7 Dec 2026 ran out of memory (docs/PERF.md). The training state
     * (weights, Adam's moments, iteration count) stays; the next step runs through a new held
     * session with an empty cache.
     */
    @Override
    public final void releaseCaches() {
        if (session != null) {
            session.close();
            session = HeldSession.of(sd);
        }
        closeSessions(sd);
        if (frozen != null) {
            closeSessions(frozen);
        }
    }

    /** Forgets the inference copy, first freeing its sessions' caches (else they wait for Java's GC). */
    private void dropInferenceCopy() {
        if (frozen != null) {
            closeSessions(frozen);
            frozen = null;
        }
    }

    /**
     * Closes every inference session of {@code g} and forgets them, so the next output makes a
     * new one: ND4J's cache closes its arrays on close but keeps listing them, so a closed session
     * must never run again.
     */
    static void closeSessions(SameDiff g) {
        for (org.nd4j.autodiff.samediff.internal.InferenceSession s : g.getSessions().values()) {
            s.getMmgr().close();
        }
        g.getSessions().clear();
    }

    /** Images as the inference copy takes them: NCHW {@code [B, C, H, W]} to a dense NHWC {@code [B, H, W, C]}. */
    static INDArray nhwc(INDArray nchw) {
        return nchw.permute(0, 2, 3, 1).dup();
    }

    /** A new inference copy of the current weights (see {@link #inferenceGraph()}). */
    abstract SameDiff foldedCopy();

    @Override
    public final Map<String, Double> losses(DetectionBatch batch, long stepSeed) {
        NativeThreads.apply();
        Nd4j.getRandom().setSeed(stepSeed);
        return parts.fromOutputs(sd.output(trainingPlaceholders(batch, stepSeed), parts.names()));
    }

    /**
     * Detections per image of the batch, in original image pixels. A batch larger than
     * {@link DetectorConfig#inferenceBatch()} is run in slices of that size, so the caller's
     * loader batch never sets the forward pass's memory.
     */
    @Override
    public final List<ImageDetections> detect(DetectionBatch batch, PostProcess pp) {
        NativeThreads.apply();
        int bs = config.inferenceBatch();
        if (batch.size() <= bs) {
            return detectBatch(batch, pp);
        }
        List<ImageDetections> out = new ArrayList<>(batch.size());
        for (int from = 0; from < batch.size(); from += bs) {
            out.addAll(detectBatch(batch.slice(from, Math.min(batch.size(), from + bs)), pp));
        }
        return out;
    }

    /** One training step's data set: {@link #trainingPlaceholders} in the graph's feature and label order. */
    final MultiDataSet trainingData(DetectionBatch batch, long stepSeed) {
        return trainingData(trainingPlaceholders(batch, stepSeed));
    }

    /**
     * {@code placeholders} (one step's, from {@link #trainingPlaceholders}) as the data set
     * {@code sd.fit} takes, in the order of the graph's own training configuration, so the two
     * cannot disagree.
     */
    final MultiDataSet trainingData(Map<String, INDArray> placeholders) {
        TrainingConfig tc = sd.getTrainingConfig();
        return new MultiDataSet(inOrder(placeholders, tc.getDataSetFeatureMapping()),
                inOrder(placeholders, tc.getDataSetLabelMapping()));
    }

    private static INDArray[] inOrder(Map<String, INDArray> placeholders, List<String> names) {
        INDArray[] out = new INDArray[names.size()];
        for (int i = 0; i < out.length; i++) {
            String name = names.get(i);
            out[i] = java.util.Objects.requireNonNull(placeholders.get(name), () -> "no placeholder " + name);
        }
        return out;
    }

    /** Every placeholder of one training step, by name (for {@link #losses} and gradient checks). */
    abstract Map<String, INDArray> trainingPlaceholders(DetectionBatch batch, long stepSeed);

    /** Post-processed detections, in original image pixels, for one inference batch. */
    abstract List<ImageDetections> detectBatch(DetectionBatch batch, PostProcess pp);
}
