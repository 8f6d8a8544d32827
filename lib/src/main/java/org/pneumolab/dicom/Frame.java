package org.pneumolab.dicom;

/**
 * One decoded frame: sample values after the modality rescale (slope/intercept), interleaved
 * ({@code values[(row * columns + column) * samples + sample]}).
 *
 * @param photometric what the samples mean: MONOCHROME1, MONOCHROME2 or RGB (colour is always
 *                    delivered as RGB, whatever the file stored)
 */
public record Frame(int rows, int columns, int samples, double[] values, String photometric) {

    public double value(int row, int column, int sample) {
        return values[(row * columns + column) * samples + sample];
    }

    public double min() {
        double m = Double.POSITIVE_INFINITY;
        for (double v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    public double max() {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    public double mean() {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return values.length == 0 ? Double.NaN : s / values.length;
    }
}
