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

    /** "score >= 0.2, NMS IoU 0.0, <= 2 boxes, shrink 1.0: RSNA metric 0.179" (3 decimals, for people). */
    @Override
    public String toString() {
        return "score >= " + settings.scoreThreshold() + ", NMS IoU " + settings.nmsIou() + ", <= " + settings.maxDetections()
                + " boxes, shrink " + settings.shrink() + ": RSNA metric " + org.pneumolab.report.Format.rate(score);
    }
}
