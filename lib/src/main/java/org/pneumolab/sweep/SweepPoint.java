package org.pneumolab.sweep;

import org.pneumolab.detect.PostProcess;

/** One grid point: the settings and the RSNA metric they give on the sweep's split. */
public record SweepPoint(PostProcess settings, double score) {
    public double scoreThreshold() {
        return settings.scoreThreshold();
    }

    public double nmsIou() {
        return settings.nmsIou();
    }

    public double shrink() {
        return settings.shrink();
    }

    public int maxBoxes() {
        return settings.maxDetections();
    }
}
