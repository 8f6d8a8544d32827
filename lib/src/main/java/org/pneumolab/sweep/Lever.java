package org.pneumolab.sweep;

import org.pneumolab.detect.PostProcess;

/** One post-processing setting the sweep varies. */
public enum Lever {
    SCORE_THRESHOLD("score threshold"),
    NMS_IOU("NMS IoU threshold"),
    SHRINK("box shrink factor (about the centre)"),
    MAX_BOXES("maximum boxes per image");

    private final String label;

    Lever(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public double valueOf(PostProcess p) {
        return switch (this) {
            case SCORE_THRESHOLD -> p.scoreThreshold();
            case NMS_IOU -> p.nmsIou();
            case SHRINK -> p.shrink();
            case MAX_BOXES -> p.maxDetections();
        };
    }
}
