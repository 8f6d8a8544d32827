package org.pneumolab.metrics;

import java.util.Locale;

/** A point estimate with its confidence interval {@code [lo, hi]} (NaN where undefined). */
public record Estimate(double value, double lo, double hi) {

    /** "0.912 [0.889, 0.934]" with three decimals. */
    @Override
    public String toString() {
        return format(3);
    }

    public String format(int decimals) {
        if (decimals == org.pneumolab.report.Format.DECIMALS) {
            return org.pneumolab.report.Format.interval(value, lo, hi);
        }
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " [" + f + ", " + f + "]", value, lo, hi);
    }

    /** A difference: "+0.052 [+0.010, +0.091]". */
    public String signed() {
        return org.pneumolab.report.Format.signedInterval(value, lo, hi);
    }

    /** Half the interval's width, the "±" a reader takes away; NaN when undefined. */
    public double halfWidth() {
        return (hi - lo) / 2;
    }

    /** The interval lies entirely above or entirely below zero. */
    public boolean excludesZero() {
        return lo > 0 || hi < 0;
    }

    public boolean contains(double x) {
        return x >= lo && x <= hi;
    }
}
