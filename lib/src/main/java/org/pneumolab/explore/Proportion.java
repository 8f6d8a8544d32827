package org.pneumolab.explore;

/** A count out of a total with its Wilson 95% interval (sound for small counts and rates near 0 or 1). */
public record Proportion(int successes, int total, double rate, double lo, double hi) {

    public static Proportion of(int successes, int total) {
        if (total <= 0) {
            return new Proportion(successes, total, Double.NaN, Double.NaN, Double.NaN);
        }
        double z = 1.959963984540054;
        double p = (double) successes / total;
        double denom = 1 + z * z / total;
        double centre = (p + z * z / (2.0 * total)) / denom;
        double half = z * Math.sqrt(p * (1 - p) / total + z * z / (4.0 * total * total)) / denom;
        return new Proportion(successes, total, p, Math.max(0, centre - half), Math.min(1, centre + half));
    }
}
