package org.pneumolab.detect.study;

import java.util.LinkedHashMap;
import java.util.Map;

import org.pneumolab.detect.PostProcess;
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
        // PAPER: 60 / 20 / 20. SAMPLE: 30 / 35 / 35 of a sample twice the old size, so the
        // detectors train on as many images as before (about 180, same minutes) while validation
        // and held-out get the images the intervals need (docs/RIGOR.md's sample-size rule).
        Map<String, Double> f = new LinkedHashMap<>();
        f.put(TRAIN, profile.pick(0.3, 0.6));
        f.put(VAL, profile.pick(0.35, 0.2));
        f.put(HELD_OUT, profile.pick(0.35, 0.2));
        return new StudySpec(profile, seed, profile.pick(128, 224), profile.pick(20, 25), profile.pick(8, 8), f,
                new PostProcess(0.2, 0.1, 4, 0.875));
    }

    /** The same spec with another seed (notebook 04's K training seeds keep the data's split and change this). */
    public StudySpec withSeed(long s) {
        return new StudySpec(profile, s, inputSize, epochs, batchSize, fractions, post);
    }

    public StudySpec withEpochs(int e) {
        return new StudySpec(profile, seed, inputSize, e, batchSize, fractions, post);
    }
}
