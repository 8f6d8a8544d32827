package org.pneumolab.metrics;

import java.util.Locale;

/**
 * What a paired interval says about "A against B", in one generated sentence. The difference is
 * always A minus B on the same cases; whether that is good depends on the metric
 * ({@code higherIsBetter}: true for the RSNA metric or ROC AUC, false for false positives).
 * The verdict only follows the interval: it excludes zero on the side that favours A, on the side
 * that favours B, or it contains zero (or is undefined) and the two are not distinguishable on
 * this data. Nobody types a verdict by hand.
 *
 * @param a              first contender's name
 * @param b              second contender's name
 * @param metric         what was compared, e.g. "RSNA metric"
 * @param higherIsBetter direction of the metric
 * @param difference     A minus B with its paired interval
 * @param split          data split the cases come from
 * @param n              number of cases (images) resampled
 * @param method         how the interval was made, e.g. "95% paired bootstrap over images, B=1000"
 */
public record Verdict(String a, String b, String metric, boolean higherIsBetter, Estimate difference, String split,
                      int n, String method) {

    public enum Outcome { A_BETTER, B_BETTER, NOT_DISTINGUISHABLE }

    public Outcome outcome() {
        double lo = difference.lo();
        double hi = difference.hi();
        if (Double.isNaN(lo) || Double.isNaN(hi) || (lo <= 0 && hi >= 0)) {
            return Outcome.NOT_DISTINGUISHABLE;
        }
        boolean aHigher = lo > 0;
        return aHigher == higherIsBetter ? Outcome.A_BETTER : Outcome.B_BETTER;
    }

    /** The difference's interval excludes zero. */
    public boolean distinguishable() {
        return outcome() != Outcome.NOT_DISTINGUISHABLE;
    }

    /** The winner's name, or null when not distinguishable. */
    public String winner() {
        return switch (outcome()) {
            case A_BETTER -> a;
            case B_BETTER -> b;
            case NOT_DISTINGUISHABLE -> null;
        };
    }

    /**
     * E.g. "RetinaNet is better than Faster R-CNN on the RSNA metric (held-out, n=59): difference
     * +0.052 [+0.010, +0.091], 95% paired bootstrap over images, B=1000; the interval excludes 0."
     */
    public String sentence() {
        String where = String.format(Locale.ROOT, " on %s (%s, n=%d): %s minus %s %s, %s", metric, split, n, a, b,
                signedDifference(), method);
        return switch (outcome()) {
            case A_BETTER -> a + " is better than " + b + where + "; the interval excludes 0" + direction() + ".";
            case B_BETTER -> b + " is better than " + a + where + "; the interval excludes 0" + direction() + ".";
            case NOT_DISTINGUISHABLE -> a + " and " + b + " are not distinguishable on this data" + where
                    + (Double.isNaN(difference.lo()) ? "; the interval is undefined." : "; the interval contains 0.");
        };
    }

    private String direction() {
        return higherIsBetter ? " (higher is better)" : " (lower is better)";
    }

    @Override
    public String toString() {
        return sentence();
    }

    /** Short form for tables: "A better", "B better", "not distinguishable". */
    public String shortOutcome() {
        return switch (outcome()) {
            case A_BETTER -> a + " better";
            case B_BETTER -> b + " better";
            case NOT_DISTINGUISHABLE -> "not distinguishable";
        };
    }

    /** The difference as a table cell (whole numbers for counts). */
    public String differenceCell() {
        return signedDifference();
    }

    /** A difference of counts (false negatives, false positives) is a whole number; everything else 3 decimals. */
    private String signedDifference() {
        if (metric.equals(PairedBinary.FALSE_NEGATIVES) || metric.equals(PairedBinary.FALSE_POSITIVES)) {
            return org.pneumolab.report.Format.signedInterval(difference.value(), difference.lo(), difference.hi(), 0);
        }
        return difference.signed();
    }
}
