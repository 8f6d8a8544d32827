package org.pneumolab.detect;

import java.util.ArrayList;
import java.util.List;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.BoxOps;
import org.pneumolab.geom.Detection;

/**
 * Class-agnostic greedy non-maximum suppression of detections ({@link BoxOps#nms} does the work).
 * On the host, because ND4J's NMS op pads its index output with zeros (index 0 repeated), which
 * silently adds the top box many times unless the output is truncated; with a few hundred
 * candidates per image the host loop costs well under a millisecond.
 */
public final class Nms {
    private Nms() {
    }

    /** Kept detections, best score first. Ties keep input order. */
    public static List<Detection> apply(List<Detection> detections, double iouThreshold) {
        int n = detections.size();
        double[] corners = Box.pack(detections.stream().map(Detection::box).toList());
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = detections.get(i).score();
        }
        int[] keep = BoxOps.nms(corners, scores, n, iouThreshold, n);
        List<Detection> kept = new ArrayList<>(keep.length);
        for (int i : keep) {
            kept.add(detections.get(i));
        }
        return kept;
    }
}
