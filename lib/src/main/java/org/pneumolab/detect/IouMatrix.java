package org.pneumolab.detect;

import java.util.List;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.BoxOps;

/**
 * Pairwise IoU between box lists as a {@code [rows][cols]} table, the shape the anchor and
 * proposal {@link Matcher}s read; the arithmetic is {@link BoxOps#iouMatrix}.
 */
public final class IouMatrix {
    private IouMatrix() {
    }

    /** {@code iou[i][j] = a[i].iou(b[j])}. */
    public static double[][] of(List<Box> a, List<Box> b) {
        return of(a, Box.pack(b));
    }

    /** IoU of boxes against flat corner arrays {@code [n*4]} (anchors), as {@code [boxes][anchors]}. */
    public static double[][] of(List<Box> boxes, double[] corners) {
        int n = corners.length / 4;
        double[] flat = new double[boxes.size() * n];
        BoxOps.iouMatrix(Box.pack(boxes), boxes.size(), corners, n, flat);
        double[][] m = new double[boxes.size()][];
        for (int g = 0; g < boxes.size(); g++) {
            m[g] = java.util.Arrays.copyOfRange(flat, g * n, (g + 1) * n);
        }
        return m;
    }
}
