package org.pneumolab.classify;

import java.util.Objects;

/**
 * Per-image probability of PNEUMONIA on one named split, with the true labels (1 = PNEUMONIA).
 * Thresholds and metrics are the metrics package's job; this is just scores and labels.
 */
public record Predictions(String split, double[] scores, int[] labels) {
    public Predictions {
        Objects.requireNonNull(split, "split");
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(split + ": " + scores.length + " scores but " + labels.length + " labels");
        }
    }

    public int size() {
        return scores.length;
    }
}
