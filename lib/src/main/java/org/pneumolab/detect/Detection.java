package org.pneumolab.detect;

/** A predicted box with its confidence. */
public record Detection(Box box, double score) {
    public Detection {
        if (box == null) {
            throw new IllegalArgumentException("detection without a box");
        }
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("detection score is NaN for " + box);
        }
    }
}
