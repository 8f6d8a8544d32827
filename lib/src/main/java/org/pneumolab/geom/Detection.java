package org.pneumolab.geom;

/** A predicted box with its confidence (a probability in [0, 1] for our detectors). */
public record Detection(Box box, double score) {
    public Detection {
        if (box == null) {
            throw new IllegalArgumentException("detection needs a box");
        }
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("detection score is NaN for box " + box);
        }
    }

    public Detection withBox(Box b) {
        return new Detection(b, score);
    }
}
