package org.pneumolab.detect.study;

import java.util.LinkedHashMap;
import java.util.Map;

import org.pneumolab.detect.PostProcess;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.runtime.Profile;

/**
 * Everything that shapes notebook 04's comparison, one code path for both profiles: the same
 * split fractions, post-processing and models; only sizes and epochs change.
 *
 * @param inputSize  model input in pixels (128 on the sample, 224 as in the case study)
 * @param epochs     training epochs per model
 * @param fractions  patient-level split fractions, in order: train, val, held-out
 * @param post       post-processing applied before every metric (the case study's tuned settings)
 */
public record StudySpec(Profile profile, long seed, int inputSize, int epochs, int batchSize,
                        Map<String, Double> fractions, PostProcess post) {
    public static final String TRAIN = "train";
    public static final String VAL = "val";
    public static final String HELD_OUT = "held-out";

    public StudySpec {
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("epochs and batchSize must be >= 1: " + epochs + ", " + batchSize);
        }
        fractions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fractions));
        if (!fractions.keySet().equals(java.util.Set.of(TRAIN, VAL, HELD_OUT))) {
            throw new IllegalArgumentException("fractions must name exactly train, val and held-out: " + fractions.keySet());
        }
    }

    /** SAMPLE: 128 px, 20 epochs, about 2 minutes for three models on 2 cores. PAPER: 224 px, 25 epochs (ResNet50, GPU advised). */
    public static StudySpec forProfile(Profile profile, long seed) {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put(TRAIN, 0.6);
        f.put(VAL, 0.2);
        f.put(HELD_OUT, 0.2);
        return new StudySpec(profile, seed, profile.pick(128, 224), profile.pick(20, 25), profile.pick(8, 8), f,
                new PostProcess(0.2, 0.1, 4, 0.875));
    }

    /**
     * Training augmentation: none on the sample profile (its results stay comparable run to run
     * and its few CPU epochs are too short to profit); on the paper profile the case study's kind
     * ({@link AugmentSpec#detection()}: flip, scale, shift, brightness, contrast).
     */
    public AugmentSpec augment() {
        return profile.pick(AugmentSpec.none(), AugmentSpec.detection());
    }

    public StudySpec withEpochs(int e) {
        return new StudySpec(profile, seed, inputSize, e, batchSize, fractions, post);
    }
}
