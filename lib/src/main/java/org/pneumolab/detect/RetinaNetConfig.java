package org.pneumolab.detect;

import java.util.function.Consumer;

import org.pneumolab.runtime.Profile;

/**
 * Everything that shapes a RetinaNet and its training. Start from {@link #forProfile} (or
 * {@link #sample} / {@link #paper}) and change what you need by name:
 * {@code RetinaNetConfig.sample(7).with(c -> c.inputSize(160).focalGamma(1.5))}.
 *
 * @param inputSize      square model input in pixels, a multiple of 32 (P3..P5 must halve exactly)
 * @param levels         pyramid levels: 5 = P3..P7 (the paper), 3 = P3..P5 (at 128 px P6/P7 are 2x2
 *                       and 1x1 maps whose anchors are larger than the image)
 * @param anchorScale    multiplies RetinaNet's anchor sizes (4 x stride); < 1 for small inputs
 * @param focalAlpha     focal loss weight of the positives (the paper's 0.25)
 * @param focalGamma     focal loss focusing exponent (the paper's 2)
 * @param positiveIou    an anchor with IoU at least this with a box is foreground (0.5)
 * @param negativeIou    an anchor with IoU below this with every box is background (0.4); between
 *                       the two it is ignored
 * @param topK           at inference, the best-scoring anchors decoded per image before
 *                       post-processing (torchvision's topk_candidates, 1000)
 * @param inferenceBatch images per forward pass at inference
 * @param pretrained     start from ImageNet ResNet50 (Keras's file, else the zoo; neither: stop, see PretrainedResNet50; paper profile)
 * @param frozenNorm     the backbone's batch-norm affines are frozen constants (torchvision's
 *                       FrozenBatchNorm2d, keras-retinanet's frozen BN: what an ImageNet-pretrained
 *                       backbone wants; the paper profile) instead of trained per-channel scales and
 *                       shifts (random init, where they are the only normalisation). No effect on a
 *                       backbone without batch norms (the sample profile's basic blocks). Needs
 *                       {@code pretrained}: {@link DetectorConfig#requireNormalisation}
 * @param doublePrecision float64 graph (gradient checks); float32 otherwise
 */
public record RetinaNetConfig(BackboneSpec backbone, int inputSize, int inChannels, int fpnChannels, int headConvs,
                              int levels, double anchorScale, double focalAlpha, double focalGamma,
                              double positiveIou, double negativeIou, int topK, int inferenceBatch,
                              double learningRate, long seed, boolean pretrained, boolean frozenNorm,
                              boolean doublePrecision)
        implements DetectorConfig {
    /** Detectron's smooth-L1 beta for RetinaNet boxes. */
    public static final double BOX_BETA = 1.0 / 9;

    public RetinaNetConfig {
        DetectorConfig.requireInputSize("RetinaNet", inputSize);
        DetectorConfig.requireNormalisation("RetinaNet", pretrained, frozenNorm);
        if (levels < 3 || levels > 5) {
            throw new IllegalArgumentException("RetinaNet uses 3..5 pyramid levels, got " + levels);
        }
        if (headConvs < 0) {
            throw new IllegalArgumentException("headConvs must be >= 0: " + headConvs);
        }
        if (!(focalAlpha >= 0 && focalAlpha <= 1) || !(focalGamma >= 0)) {
            throw new IllegalArgumentException("focal alpha must be in [0, 1] and gamma >= 0, got " + focalAlpha
                    + ", " + focalGamma);
        }
        DetectorConfig.requireIous("RetinaNet anchor matching", positiveIou, negativeIou);
        if (topK < 1 || inferenceBatch < 1) {
            throw new IllegalArgumentException("topK and inferenceBatch must be >= 1: " + topK + ", " + inferenceBatch);
        }
    }

    /** The case study: ResNet50 (ImageNet when available), 224 px, 256-channel FPN P3..P7, 4-conv heads. */
    public static RetinaNetConfig paper(long seed) {
        return new RetinaNetConfig(BackboneSpec.RESNET50, 224, 1, 256, 4, 5, 1.0, 0.25, 2.0, 0.5, 0.4, 1000, 8,
                1e-4, seed, true, true, false);
    }

    /**
     * CPU-sized: narrow ResNet, 128 px, 32-channel FPN on P3..P5, one conv per head, anchors
     * 16..64 px (times 2^{0,1/3,2/3}); a training step of 8 images takes ~0.2 s on one core.
     * <p>Learning rate 3e-4, not 1e-3: the anchors are not the problem on the sample (every box,
     * ~20-46 px at 128, has 4-15 anchors at IoU >= 0.5, best IoU >= 0.57), but at 1e-3 Adam on
     * this un-normalised random-init net never got the classification loss down (flat ~0.8 for 20
     * epochs, every anchor stuck near 0.04 on positive and negative images alike); at 3e-4 it
     * falls steadily (0.92 -> 0.32) and positive images score above negatives.
     */
    public static RetinaNetConfig sample(long seed) {
        return new RetinaNetConfig(BackboneSpec.SAMPLE, 128, 1, 32, 1, 3, 0.5, 0.25, 2.0, 0.5, 0.4, 1000, 8,
                3e-4, seed, false, false, false);
    }

    public static RetinaNetConfig forProfile(Profile profile, long seed) {
        return profile == Profile.SAMPLE ? sample(seed) : paper(seed);
    }

    /** This configuration with some knobs changed: {@code c.with(b -> b.inputSize(160).topK(500))}. */
    public RetinaNetConfig with(Consumer<Builder> change) {
        Builder b = toBuilder();
        change.accept(b);
        return b.build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public AnchorGenerator anchors() {
        return AnchorGenerator.retinaNet(anchorScale, levels);
    }

    /** The matcher of anchors to boxes for training targets. */
    public Matcher matcher() {
        return new Matcher(positiveIou, negativeIou, true);
    }

    /** The configuration {@link #toJson} wrote; IllegalArgumentException naming a missing field. */
    public static RetinaNetConfig fromJson(String json) {
        return Detectors.retinaNet(json);
    }

    @Override
    public String toJson() {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.addProperty("model", "retinanet");
        o.add("backbone", backbone.toJsonTree());
        o.addProperty("inputSize", inputSize);
        o.addProperty("inChannels", inChannels);
        o.addProperty("fpnChannels", fpnChannels);
        o.addProperty("headConvs", headConvs);
        o.addProperty("levels", levels);
        o.addProperty("anchorScale", anchorScale);
        o.addProperty("focalAlpha", focalAlpha);
        o.addProperty("focalGamma", focalGamma);
        o.addProperty("positiveIou", positiveIou);
        o.addProperty("negativeIou", negativeIou);
        o.addProperty("topK", topK);
        o.addProperty("inferenceBatch", inferenceBatch);
        o.addProperty("learningRate", learningRate);
        o.addProperty("seed", seed);
        o.addProperty("pretrained", pretrained);
        // Written only when on: a config without it reads as off, so every run from before the
        // knob keeps its identity (its folder name) and the sample profile's runs are reused.
        if (frozenNorm) {
            o.addProperty("frozenNorm", true);
        }
        o.addProperty("doublePrecision", doublePrecision);
        return o.toString();
    }

    /** Named setters over a copy of a configuration; {@link #build()} validates. */
    public static final class Builder {
        private BackboneSpec backbone;
        private int inputSize;
        private int inChannels;
        private int fpnChannels;
        private int headConvs;
        private int levels;
        private double anchorScale;
        private double focalAlpha;
        private double focalGamma;
        private double positiveIou;
        private double negativeIou;
        private int topK;
        private int inferenceBatch;
        private double learningRate;
        private long seed;
        private boolean pretrained;
        private boolean frozenNorm;
        private boolean doublePrecision;

        private Builder(RetinaNetConfig c) {
            backbone = c.backbone;
            inputSize = c.inputSize;
            inChannels = c.inChannels;
            fpnChannels = c.fpnChannels;
            headConvs = c.headConvs;
            levels = c.levels;
            anchorScale = c.anchorScale;
            focalAlpha = c.focalAlpha;
            focalGamma = c.focalGamma;
            positiveIou = c.positiveIou;
            negativeIou = c.negativeIou;
            topK = c.topK;
            inferenceBatch = c.inferenceBatch;
            learningRate = c.learningRate;
            seed = c.seed;
            pretrained = c.pretrained;
            frozenNorm = c.frozenNorm;
            doublePrecision = c.doublePrecision;
        }

        public Builder backbone(BackboneSpec v) {
            backbone = v;
            return this;
        }

        public Builder inputSize(int v) {
            inputSize = v;
            return this;
        }

        public Builder inChannels(int v) {
            inChannels = v;
            return this;
        }

        public Builder fpnChannels(int v) {
            fpnChannels = v;
            return this;
        }

        public Builder headConvs(int v) {
            headConvs = v;
            return this;
        }

        public Builder levels(int v) {
            levels = v;
            return this;
        }

        public Builder anchorScale(double v) {
            anchorScale = v;
            return this;
        }

        public Builder focalAlpha(double v) {
            focalAlpha = v;
            return this;
        }

        public Builder focalGamma(double v) {
            focalGamma = v;
            return this;
        }

        /** Foreground at IoU >= {@code positive}, background below {@code negative}, ignored between. */
        public Builder matchIou(double positive, double negative) {
            positiveIou = positive;
            negativeIou = negative;
            return this;
        }

        public Builder topK(int v) {
            topK = v;
            return this;
        }

        public Builder inferenceBatch(int v) {
            inferenceBatch = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder pretrained(boolean v) {
            pretrained = v;
            return this;
        }

        /** Frozen batch-norm affines (constants) in the backbone; see the record's {@code frozenNorm}. */
        public Builder frozenNorm(boolean v) {
            frozenNorm = v;
            return this;
        }

        public Builder doublePrecision(boolean v) {
            doublePrecision = v;
            return this;
        }

        public RetinaNetConfig build() {
            return new RetinaNetConfig(backbone, inputSize, inChannels, fpnChannels, headConvs, levels, anchorScale,
                    focalAlpha, focalGamma, positiveIou, negativeIou, topK, inferenceBatch, learningRate, seed,
                    pretrained, frozenNorm, doublePrecision);
        }
    }
}
