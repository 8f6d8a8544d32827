package org.pneumolab.detect;

import java.util.List;

/** Pairwise IoU between two box lists: {@code iou[i][j] = a[i].iou(b[j])}. */
public final class IouMatrix {
    private IouMatrix() {
    }

    public static double[][] of(List<Box> a, List<Box> b) {
        double[][] m = new double[a.size()][b.size()];
        for (int i = 0; i < a.size(); i++) {
            Box bi = a.get(i);
            for (int j = 0; j < b.size(); j++) {
                m[i][j] = bi.iou(b.get(j));
            }
        }
        return m;
    }

    /** IoU of flat corner arrays {@code [n*4]} (anchors) against boxes, as {@code [boxes][anchors]}. */
    public static double[][] of(List<Box> boxes, double[] corners) {
        int n = corners.length / 4;
        double[][] m = new double[boxes.size()][n];
        for (int g = 0; g < boxes.size(); g++) {
            Box b = boxes.get(g);
            double ba = b.area();
            for (int i = 0; i < n; i++) {
                double x1 = corners[4 * i], y1 = corners[4 * i + 1], x2 = corners[4 * i + 2], y2 = corners[4 * i + 3];
                double w = Math.min(x2, b.x2()) - Math.max(x1, b.x1());
                double h = Math.min(y2, b.y2()) - Math.max(y1, b.y1());
                if (w <= 0 || h <= 0) {
                    continue;
                }
                double inter = w * h;
                double union = ba + (x2 - x1) * (y2 - y1) - inter;
                m[g][i] = union <= 0 ? 0 : inter / union;
            }
        }
        return m;
    }
}
