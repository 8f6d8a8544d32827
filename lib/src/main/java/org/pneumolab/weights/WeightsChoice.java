package org.pneumolab.weights;

import org.pneumolab.runtime.Profile;

/**
 * Which initial weights a pretrained base gets: the knob a notebook's first cell sets
 * ({@code WEIGHTS}), a study's configuration carries and {@code rehearse} picks.
 */
public enum WeightsChoice {
    /** ImageNet weights, or stop before any training with one message naming the file (paper profile). */
    IMAGENET,
    /** ImageNet weights when a good file is found, random init otherwise, said in the weights line (sample profile). */
    AVAILABLE,
    /** Random initialisation on purpose; no file is looked for. */
    RANDOM;

    /** The profile's default: PAPER never starts silently from random weights. */
    public static WeightsChoice forProfile(Profile profile) {
        return profile.pick(AVAILABLE, IMAGENET);
    }
}
