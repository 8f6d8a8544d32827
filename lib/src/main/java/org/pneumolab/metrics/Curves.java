package org.pneumolab.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * ROC and precision-recall curve points, one per distinct score (highest first), as sklearn's
 * {@code roc_curve(drop_intermediate=False)} and {@code precision_recall_curve}. Each point is
 * the operating point of "predict positive when score >= threshold". Both curves start at
 * threshold +infinity: ROC at (0, 0), PR at recall 0 with precision 1 (sklearn's convention).
 */
public record Curves(List<RocPoint> roc, List<PrPoint> pr) {

    public record RocPoint(double threshold, double fpr, double tpr) {
    }

    public record PrPoint(double threshold, double recall, double precision) {
    }

    public Curves {
        roc = List.copyOf(roc);
        pr = List.copyOf(pr);
    }

    public static Curves of(double[] scores, int[] labels) {
        RankedSample s = RankedSample.of(scores, labels);
        int pTotal = s.positiveAt.length;
        int nTotal = s.negativeAt.length;
        List<RocPoint> roc = new ArrayList<>();
        List<PrPoint> pr = new ArrayList<>();
        roc.add(new RocPoint(Double.POSITIVE_INFINITY, 0, 0));
        pr.add(new PrPoint(Double.POSITIVE_INFINITY, 0, 1));
        int tp = 0;
        int fp = 0;
        int start = 0;
        for (int end : s.groupEnd) {
            for (int k = start; k < end; k++) {
                if (s.positive[k]) {
                    tp++;
                } else {
                    fp++;
                }
            }
            double t = s.scores[start];
            roc.add(new RocPoint(t, ConfusionMatrix.ratio(fp, nTotal), ConfusionMatrix.ratio(tp, pTotal)));
            pr.add(new PrPoint(t, ConfusionMatrix.ratio(tp, pTotal), (double) tp / (tp + fp)));
            start = end;
        }
        return new Curves(roc, pr);
    }
}
