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
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " [" + f + ", " + f + "]", value, lo, hi);
    }

    public boolean contains(double x) {
        return x >= lo && x <= hi;
    }
}
