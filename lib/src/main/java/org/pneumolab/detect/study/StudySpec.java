package org.pneumolab.detect.study;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.pneumolab.detect.FasterRcnnConfig;
import org.pneumolab.detect.PostProcess;
import org.pneumolab.detect.RetinaNetConfig;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.image.Normalization;
import org.pneumolab.runtime.Profile;

import com.google.gson.JsonObject;

/**
 * Everything that shapes notebook 04's comparison, one code path for both profiles: the same
 * split fractions, post-processing and models; only sizes and epochs change. A value: two specs
 * with the same knobs are equal, {@code toString} prints every knob, and each knob is part of the
 * identity of the runs trained from it (see {@link Contender#runName}).
 *
 * <p>Start from {@link #forProfile} and change knobs by name; {@link Builder#inputSize} and
 * {@link Builder#seed} set both detectors' input size and seed, so they cannot disagree:
 * <pre>{@code
 * StudySpec.forProfile(PROFILE, SEED).with(s -> s.epochs(10).inputSize(160)
 *         .retinaNet(r -> r.focalGamma(1.5))
 *         .fasterRcnn(f -> f.proposals(300, 50)))
 * }</pre>
 *
 * @param epochs     training epochs per model
 * @param fractions  patient-level split fractions, in order: train, val, held-out
 * @param post       post-processing applied before every metric (the case study's tuned settings)
 * @param retinaNet  the RetinaNet to train (input size and seed as the spec's)
 * @param fasterRcnn the Faster R-CNN to train, with negatives; the published variant differs only
 *                   in skipping them
 * @param augment    training augmentation: none on the sample profile (its results stay comparable
 *                   run to run and its few CPU epochs are too short to profit); on the paper profile
 *                   the case study's kind ({@link AugmentSpec#detection()}: flip, scale, shift,
 *                   brightness, contrast)
 * @param maxStepsPerEpoch 0 for whole epochs; otherwise each epoch stops after this many batches
 *                   (a rehearsal's cap; part of the run identity, so a capped run is never reused
 *                   as a full one)
 * @param normalization how grey levels become model input ({@link Normalization#IMAGENET}, as the
 *                   case study's ImageNet-pretrained backbones expect); part of the input pipeline,
 *                   see {@link DetectionData#pipelineSpec(StudySpec)}
 */
public record StudySpec(Profile profile, long seed, int epochs, int batchSize, Map<String, Double> fractions,
                        PostProcess post, RetinaNetConfig retinaNet, FasterRcnnConfig fasterRcnn, AugmentSpec augment,
                        int maxStepsPerEpoch, Normalization normalization) {
    public static final String TRAIN = "train";
    public static final String VAL = "val";
    public static final String HELD_OUT = "held-out";

    public StudySpec {
        if (epochs < 1 || batchSize < 1 || maxStepsPerEpoch < 0) {
            throw new IllegalArgumentException("epochs and batchSize must be >= 1, maxStepsPerEpoch >= 0: " + epochs + ", "
                    + batchSize + ", " + maxStepsPerEpoch);
        }
        java.util.Objects.requireNonNull(augment, "augment (AugmentSpec.none() for none)");
        java.util.Objects.requireNonNull(normalization, "normalization");
        fractions = Collections.unmodifiableMap(new LinkedHashMap<>(fractions));
        if (!fractions.keySet().equals(Set.of(TRAIN, VAL, HELD_OUT))) {
            throw new IllegalArgumentException("fractions must name exactly train, val and held-out: " + fractions.keySet());
        }
        // The ImageNet copy folds the pipeline's ImageNet normalisation into the first convolution
        // (PretrainedResNet50), so another normalisation would feed those weights inputs they never saw.
        if ((retinaNet.pretrained() || fasterRcnn.pretrained()) && normalization != Normalization.IMAGENET) {
            throw new IllegalArgumentException("an ImageNet-pretrained backbone expects ImageNet normalisation, got "
                    + normalization + ": keep normalization(IMAGENET), or train from random weights (weights(RANDOM))");
        }
        if (retinaNet.inputSize() != fasterRcnn.inputSize()) {
            throw new IllegalArgumentException("both detectors must see the same input size: RetinaNet "
                    + retinaNet.inputSize() + ", Faster R-CNN " + fasterRcnn.inputSize());
        }
        if (retinaNet.seed() != seed || fasterRcnn.seed() != seed) {
            throw new IllegalArgumentException("the detectors' seeds must be the study's seed " + seed + ": RetinaNet "
                    + retinaNet.seed() + ", Faster R-CNN " + fasterRcnn.seed());
        }
        if (fasterRcnn.skipNegativeImages()) {
            throw new IllegalArgumentException("the spec's Faster R-CNN trains with negatives; "
                    + "Contender.FASTER_RCNN_PUBLISHED is the variant that skips them");
        }
    }

    /**
     * SAMPLE: 128 px, 20 epochs, about 2 minutes for three models on 2 cores. PAPER: 224 px, 25
     * epochs (ResNet50, GPU advised). Splits 30/35/35 on the sample, 60/20/20 on paper; the case
     * study's post-processing.
     */
    public static StudySpec forProfile(Profile profile, long seed) {
        // PAPER: 60 / 20 / 20. SAMPLE: 30 / 35 / 35 of a sample twice the old size, so the
        // detectors train on as many images as before (about 180, same minutes) while validation
        // and held-out get the images the intervals need (docs/RIGOR.md's sample-size rule).
        Map<String, Double> f = new LinkedHashMap<>();
        f.put(TRAIN, profile.pick(0.3, 0.6));
        f.put(VAL, profile.pick(0.35, 0.2));
        f.put(HELD_OUT, profile.pick(0.35, 0.2));
        return new StudySpec(profile, seed, profile.pick(20, 25), profile.pick(8, 8), f,
                new PostProcess(0.2, 0.1, 4, 0.875), RetinaNetConfig.forProfile(profile, seed),
                FasterRcnnConfig.forProfile(profile, seed), profile.pick(AugmentSpec.none(), AugmentSpec.detection()), 0,
                Normalization.IMAGENET);
    }

    /** Model input in pixels (128 on the sample, 224 as in the case study), both detectors. */
    public int inputSize() {
        return retinaNet.inputSize();
    }

    /** This spec with some knobs changed: {@code spec.with(s -> s.epochs(5).inputSize(160))}. */
    public StudySpec with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** The same spec with another seed (notebook 04's K training seeds keep the data's split and change this). */
    public StudySpec withSeed(long s) {
        return with(b -> b.seed(s));
    }

    public StudySpec withEpochs(int e) {
        return with(s -> s.epochs(e));
    }

    /** Every knob by name, for reading (each run's own identity is its {@link org.pneumolab.detect.RunSpec}). */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("profile", profile.name());
        o.addProperty("seed", seed);
        o.addProperty("epochs", epochs);
        o.addProperty("batchSize", batchSize);
        JsonObject f = new JsonObject();
        fractions.forEach(f::addProperty);
        o.add("fractions", f);
        JsonObject pp = new JsonObject();
        pp.addProperty("scoreThreshold", post.scoreThreshold());
        pp.addProperty("nmsIou", post.nmsIou());
        pp.addProperty("maxDetections", post.maxDetections());
        pp.addProperty("shrink", post.shrink());
        o.add("post", pp);
        com.google.gson.JsonParser p = new com.google.gson.JsonParser();
        o.add("retinaNet", p.parse(retinaNet.toJson()));
        o.add("fasterRcnn", p.parse(fasterRcnn.toJson()));
        o.add("augment", augment.toJson());
        o.addProperty("maxStepsPerEpoch", maxStepsPerEpoch);
        o.addProperty("normalization", normalization.name());
        return o.toString();
    }

    /**
     * The spec {@link #toJson} wrote (e.g. the {@code study.json} notebook 04 leaves beside its
     * runs, which notebook 05 opens); IllegalArgumentException naming a missing or bad field.
     */
    public static StudySpec fromJson(String json) {
        try {
            JsonObject o = new com.google.gson.JsonParser().parse(json).getAsJsonObject();
            Map<String, Double> f = new LinkedHashMap<>();
            o.getAsJsonObject("fractions").entrySet().forEach(e -> f.put(e.getKey(), e.getValue().getAsDouble()));
            JsonObject pp = o.getAsJsonObject("post");
            return new StudySpec(Profile.valueOf(o.get("profile").getAsString()), o.get("seed").getAsLong(),
                    o.get("epochs").getAsInt(), o.get("batchSize").getAsInt(), f,
                    new PostProcess(pp.get("scoreThreshold").getAsDouble(), pp.get("nmsIou").getAsDouble(),
                            pp.get("maxDetections").getAsInt(), pp.get("shrink").getAsDouble()),
                    RetinaNetConfig.fromJson(o.get("retinaNet").toString()), FasterRcnnConfig.fromJson(o.get("fasterRcnn").toString()),
                    AugmentSpec.fromJson(o.getAsJsonObject("augment")),
                    o.get("maxStepsPerEpoch").getAsInt(), Normalization.valueOf(o.get("normalization").getAsString()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a study spec (" + e.getMessage() + "): " + json, e);
        }
    }

    /** Named setters over a copy of a spec; {@link #build()} validates. */
    public static final class Builder {
        private Profile profile;
        private long seed;
        private int epochs;
        private int batchSize;
        private Map<String, Double> fractions;
        private PostProcess post;
        private RetinaNetConfig retinaNet;
        private FasterRcnnConfig fasterRcnn;
        private AugmentSpec augment;
        private int maxStepsPerEpoch;
        private Normalization normalization;

        private Builder(StudySpec s) {
            profile = s.profile;
            seed = s.seed;
            epochs = s.epochs;
            batchSize = s.batchSize;
            fractions = s.fractions;
            post = s.post;
            retinaNet = s.retinaNet;
            fasterRcnn = s.fasterRcnn;
            augment = s.augment;
            maxStepsPerEpoch = s.maxStepsPerEpoch;
            normalization = s.normalization;
        }

        /** The split, weight initialisation and shuffling seed, for the study and both detectors. */
        public Builder seed(long v) {
            seed = v;
            retinaNet = retinaNet.with(r -> r.seed(v));
            fasterRcnn = fasterRcnn.with(f -> f.seed(v));
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** Model input in pixels for both detectors (a multiple of 32). */
        public Builder inputSize(int v) {
            retinaNet = retinaNet.with(r -> r.inputSize(v));
            fasterRcnn = fasterRcnn.with(f -> f.inputSize(v));
            return this;
        }

        /** Patient-level split fractions. */
        public Builder fractions(double train, double val, double heldOut) {
            Map<String, Double> f = new LinkedHashMap<>();
            f.put(TRAIN, train);
            f.put(VAL, val);
            f.put(HELD_OUT, heldOut);
            fractions = f;
            return this;
        }

        public Builder post(PostProcess v) {
            post = v;
            return this;
        }

        /**
         * The weights knob: RANDOM turns ImageNet initialisation off for both detectors (random
         * init on purpose; the backbones' affines then train, {@code frozenNorm(false)}); IMAGENET
         * and AVAILABLE keep the profile's choice (pretrained with frozen batch norms on paper).
         */
        public Builder weights(org.pneumolab.weights.WeightsChoice w) {
            if (w == org.pneumolab.weights.WeightsChoice.RANDOM) {
                // random values: the affines are all the normalisation the backbone has, so they train
                retinaNet(r -> r.pretrained(false).frozenNorm(false));
                fasterRcnn(f -> f.pretrained(false).frozenNorm(false));
            }
            return this;
        }

        public Builder retinaNet(Consumer<RetinaNetConfig.Builder> change) {
            retinaNet = retinaNet.with(change);
            return this;
        }

        public Builder fasterRcnn(Consumer<FasterRcnnConfig.Builder> change) {
            fasterRcnn = fasterRcnn.with(change);
            return this;
        }

        /** Training augmentation ({@link AugmentSpec#none()} for none); evaluation is never augmented. */
        public Builder augment(AugmentSpec v) {
            augment = v;
            return this;
        }

        /** Stop each epoch after this many batches (0: whole epochs), e.g. for a rehearsal. */
        public Builder maxStepsPerEpoch(int v) {
            maxStepsPerEpoch = v;
            return this;
        }

        /** How grey levels become model input (the input pipeline's normalisation, both detectors). */
        public Builder normalization(Normalization v) {
            normalization = v;
            return this;
        }

        public StudySpec build() {
            return new StudySpec(profile, seed, epochs, batchSize, fractions, post, retinaNet, fasterRcnn, augment,
                    maxStepsPerEpoch, normalization);
        }
    }
}
