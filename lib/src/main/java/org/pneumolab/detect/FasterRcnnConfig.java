package org.pneumolab.detect;

import java.util.List;
import java.util.function.Consumer;

import org.pneumolab.runtime.Profile;

/**
 * Everything that shapes a Faster R-CNN and its training. The RPN and the box head work on the
 * backbone's C4 map (stride 16), as in the original ResNet Faster R-CNN. Start from
 * {@link #forProfile} (or {@link #sample} / {@link #paper}) and change what you need by name:
 * {@code FasterRcnnConfig.sample(7, false).with(c -> c.proposals(300, 50))}.
 *
 * @param anchorSizes        anchor side lengths in input pixels, each at ratios 0.5, 1 and 2
 * @param rpnBatchPerImage   anchors sampled per image for the RPN loss (half positive at most)
 * @param roiBatchPerImage   RoIs sampled per image for the box head (a quarter positive at most)
 * @param preNmsTop          proposals kept per image by objectness before NMS
 * @param postNmsTop         proposals kept per image after NMS
 * @param proposalNmsIou     NMS IoU among proposals (0.7)
 * @param rpnPositiveIou     anchor foreground at IoU >= this with a box (0.7)
 * @param rpnNegativeIou     anchor background below this with every box (0.3)
 * @param roiIou             RoI foreground at IoU >= this, background below (0.5)
 * @param skipNegativeImages true reproduces the published study's TF OD API behaviour (images
 *                           without boxes never reach training); false is the corrected
 *                           behaviour (a background image makes every anchor and RoI negative)
 * @param frozenNorm         the backbone's batch-norm affines are frozen constants (as
 *                           {@link RetinaNetConfig#frozenNorm}: the paper profile's pretrained
 *                           backbone; off for random init and the sample profile, whose backbone has none;
 *                           needs {@code pretrained}: {@link DetectorConfig#requireNormalisation})
 */
public record FasterRcnnConfig(BackboneSpec backbone, int inputSize, int inChannels, int rpnChannels,
                               List<Double> anchorSizes, int pooledSize, int fcWidth, int rpnBatchPerImage,
                               int roiBatchPerImage, int preNmsTop, int postNmsTop, double proposalNmsIou,
                               double rpnPositiveIou, double rpnNegativeIou, double roiIou, double learningRate,
                               long seed, boolean skipNegativeImages, boolean pretrained, boolean frozenNorm,
                               boolean doublePrecision)
        implements DetectorConfig {
    public static final int STRIDE = 16;

    /** A list, not an array, so that two configurations with the same numbers are equal. */
    public FasterRcnnConfig {
        DetectorConfig.requireInputSize("Faster R-CNN", inputSize);
        DetectorConfig.requireNormalisation("Faster R-CNN", pretrained, frozenNorm);
        anchorSizes = List.copyOf(anchorSizes);
        if (anchorSizes.isEmpty()) {
            throw new IllegalArgumentException("Faster R-CNN needs at least one anchor size");
        }
        if (preNmsTop < 1 || postNmsTop < 1) {
            throw new IllegalArgumentException("proposal counts must be >= 1: " + preNmsTop + ", " + postNmsTop);
        }
        if (!(proposalNmsIou > 0 && proposalNmsIou <= 1)) {
            throw new IllegalArgumentException("proposal NMS IoU must be in (0, 1], got " + proposalNmsIou);
        }
        DetectorConfig.requireIous("Faster R-CNN RPN matching", rpnPositiveIou, rpnNegativeIou);
        DetectorConfig.requireIous("Faster R-CNN RoI matching", roiIou, roiIou);
    }

    public static FasterRcnnConfig paper(long seed, boolean skipNegativeImages) {
        return new FasterRcnnConfig(BackboneSpec.RESNET50, 224, 1, 512, List.of(32.0, 64.0, 128.0, 256.0), 7, 1024,
                256, 128, 600, 100, 0.7, 0.7, 0.3, 0.5, 1e-4, seed, skipNegativeImages, true, true, false);
    }

    public static FasterRcnnConfig sample(long seed, boolean skipNegativeImages) {
        return new FasterRcnnConfig(BackboneSpec.SAMPLE, 128, 1, 32, List.of(16.0, 32.0, 64.0), 5, 64,
                64, 16, 200, 32, 0.7, 0.7, 0.3, 0.5, 1e-3, seed, skipNegativeImages, false, false, false);
    }

    /** The profile's defaults, trained with the negatives (the corrected behaviour). */
    public static FasterRcnnConfig forProfile(Profile profile, long seed) {
        return profile == Profile.SAMPLE ? sample(seed, false) : paper(seed, false);
    }

    /** This configuration with some knobs changed: {@code c.with(b -> b.proposals(300, 50))}. */
    public FasterRcnnConfig with(Consumer<Builder> change) {
        Builder b = toBuilder();
        change.accept(b);
        return b.build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Images per backbone pass at inference, as RetinaNet's paper and sample profiles: the folded
     * backbone runs the batch at once, the box head then one image at a time on its own C4 map
     * ({@link FasterRcnn#detect}).
     */
    @Override
    public int inferenceBatch() {
        return 8;
    }

    @Override
    public AnchorGenerator anchors() {
        double[] sizes = anchorSizes.stream().mapToDouble(Double::doubleValue).toArray();
        return new AnchorGenerator(new int[] {STRIDE}, new double[] {1.0}, new double[] {0.5, 1.0, 2.0}, sizes);
    }

    public Matcher rpnMatcher() {
        return new Matcher(rpnPositiveIou, rpnNegativeIou, true);
    }

    public Matcher roiMatcher() {
        return new Matcher(roiIou, roiIou, false);
    }

    /** The configuration {@link #toJson} wrote; IllegalArgumentException naming a missing field. */
    public static FasterRcnnConfig fromJson(String json) {
        return Detectors.fasterRcnn(json);
    }

    @Override
    public String toJson() {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.addProperty("model", "faster-rcnn");
        o.add("backbone", backbone.toJsonTree());
        o.addProperty("inputSize", inputSize);
        o.addProperty("inChannels", inChannels);
        o.addProperty("rpnChannels", rpnChannels);
        com.google.gson.JsonArray a = new com.google.gson.JsonArray();
        anchorSizes.forEach(a::add);
        o.add("anchorSizes", a);
        o.addProperty("pooledSize", pooledSize);
        o.addProperty("fcWidth", fcWidth);
        o.addProperty("rpnBatch", rpnBatchPerImage);
        o.addProperty("roiBatch", roiBatchPerImage);
        o.addProperty("preNmsTop", preNmsTop);
        o.addProperty("postNmsTop", postNmsTop);
        o.addProperty("proposalNmsIou", proposalNmsIou);
        o.addProperty("rpnPositiveIou", rpnPositiveIou);
        o.addProperty("rpnNegativeIou", rpnNegativeIou);
        o.addProperty("roiIou", roiIou);
        o.addProperty("learningRate", learningRate);
        o.addProperty("seed", seed);
        o.addProperty("skipNegativeImages", skipNegativeImages);
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
        private int rpnChannels;
        private List<Double> anchorSizes;
        private int pooledSize;
        private int fcWidth;
        private int rpnBatchPerImage;
        private int roiBatchPerImage;
        private int preNmsTop;
        private int postNmsTop;
        private double proposalNmsIou;
        private double rpnPositiveIou;
        private double rpnNegativeIou;
        private double roiIou;
        private double learningRate;
        private long seed;
        private boolean skipNegativeImages;
        private boolean pretrained;
        private boolean frozenNorm;
        private boolean doublePrecision;

        private Builder(FasterRcnnConfig c) {
            backbone = c.backbone;
            inputSize = c.inputSize;
            inChannels = c.inChannels;
            rpnChannels = c.rpnChannels;
            anchorSizes = c.anchorSizes;
            pooledSize = c.pooledSize;
            fcWidth = c.fcWidth;
            rpnBatchPerImage = c.rpnBatchPerImage;
            roiBatchPerImage = c.roiBatchPerImage;
            preNmsTop = c.preNmsTop;
            postNmsTop = c.postNmsTop;
            proposalNmsIou = c.proposalNmsIou;
            rpnPositiveIou = c.rpnPositiveIou;
            rpnNegativeIou = c.rpnNegativeIou;
            roiIou = c.roiIou;
            learningRate = c.learningRate;
            seed = c.seed;
            skipNegativeImages = c.skipNegativeImages;
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

        public Builder rpnChannels(int v) {
            rpnChannels = v;
            return this;
        }

        public Builder anchorSizes(double... sizes) {
            anchorSizes = java.util.Arrays.stream(sizes).boxed().toList();
            return this;
        }

        public Builder pooledSize(int v) {
            pooledSize = v;
            return this;
        }

        public Builder fcWidth(int v) {
            fcWidth = v;
            return this;
        }

        /** Anchors sampled per image for the RPN loss and RoIs sampled per image for the box head. */
        public Builder samplesPerImage(int rpn, int roi) {
            rpnBatchPerImage = rpn;
            roiBatchPerImage = roi;
            return this;
        }

        /** Proposals kept per image before NMS and after it. */
        public Builder proposals(int preNms, int postNms) {
            preNmsTop = preNms;
            postNmsTop = postNms;
            return this;
        }

        public Builder proposalNmsIou(double v) {
            proposalNmsIou = v;
            return this;
        }

        /** RPN anchors: foreground at IoU >= {@code positive}, background below {@code negative}. */
        public Builder rpnMatchIou(double positive, double negative) {
            rpnPositiveIou = positive;
            rpnNegativeIou = negative;
            return this;
        }

        public Builder roiIou(double v) {
            roiIou = v;
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

        public Builder skipNegativeImages(boolean v) {
            skipNegativeImages = v;
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

        public FasterRcnnConfig build() {
            return new FasterRcnnConfig(backbone, inputSize, inChannels, rpnChannels, anchorSizes, pooledSize, fcWidth,
                    rpnBatchPerImage, roiBatchPerImage, preNmsTop, postNmsTop, proposalNmsIou, rpnPositiveIou,
                    rpnNegativeIou, roiIou, learningRate, seed, skipNegativeImages, pretrained, frozenNorm, doublePrecision);
        }
    }
}
