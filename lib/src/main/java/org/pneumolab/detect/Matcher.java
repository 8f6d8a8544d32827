package org.pneumolab.detect;

/**
 * Assigns each anchor (or proposal) to a ground-truth box by IoU: at least {@code foregroundIou}
 * it is foreground (its index), below {@code backgroundIou} background ({@link #BACKGROUND}), in
 * between ignored ({@link #IGNORE}, no loss). With {@code allowLowQuality}, each ground truth's
 * best anchors (ties included) are made foreground even below the threshold, so a small or oddly
 * shaped box still gets anchors (torchvision's allow_low_quality_matches).
 */
public record Matcher(double foregroundIou, double backgroundIou, boolean allowLowQuality) {
    public static final int BACKGROUND = -1;
    public static final int IGNORE = -2;

    // The detectors' matchers come from their configurations: RetinaNetConfig.matcher() (0.5 / 0.4
    // with low-quality matches), FasterRcnnConfig.rpnMatcher() (0.7 / 0.3, low-quality) and
    // roiMatcher() (0.5 / 0.5, none).

    public Matcher {
        if (!(backgroundIou <= foregroundIou)) {
            throw new IllegalArgumentException("backgroundIou " + backgroundIou + " > foregroundIou " + foregroundIou);
        }
    }

    /**
     * @param iou {@code [gt][anchor]} IoU matrix (see {@link IouMatrix})
     * @param anchors number of anchors (needed when there is no ground truth)
     * @return per anchor: matched gt index, {@link #BACKGROUND} or {@link #IGNORE}
     */
    public int[] match(double[][] iou, int anchors) {
        int[] m = new int[anchors];
        if (iou.length == 0) {
            java.util.Arrays.fill(m, BACKGROUND);
            return m;
        }
        int[] best = new int[anchors];
        for (int a = 0; a < anchors; a++) {
            int bg = 0;
            double bv = iou[0][a];
            for (int g = 1; g < iou.length; g++) {
                if (iou[g][a] > bv) {
                    bv = iou[g][a];
                    bg = g;
                }
            }
            best[a] = bg;
            m[a] = bv >= foregroundIou ? bg : bv < backgroundIou ? BACKGROUND : IGNORE;
        }
        if (allowLowQuality) {
            for (double[] row : iou) {
                double max = 0;
                for (double v : row) {
                    max = Math.max(max, v);
                }
                if (max <= 0) {
                    continue; // a box overlapping no anchor at all cannot be helped
                }
                for (int a = 0; a < anchors; a++) {
                    if (row[a] == max) {
                        m[a] = best[a];
                    }
                }
            }
        }
        return m;
    }
}
